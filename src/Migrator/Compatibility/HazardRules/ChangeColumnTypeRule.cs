using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ALTER COLUMN TYPE in place.</summary>
public sealed class ChangeColumnTypeRule : HazardRule
{
    public override string Id => RuleIds.ChangeColumnType;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AlterColumnType && !phase.IsNew(e)
            ? (Severity.Error, $"changes the type of {e.QualifiedTable}.{e.Column} to {e.Type} in place: a table rewrite under ACCESS EXCLUSIVE, and the running version's mapping may break (use ChangeColumnType)")
            : null);
}
