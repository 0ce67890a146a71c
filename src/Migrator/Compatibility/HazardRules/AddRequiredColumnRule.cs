using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD COLUMN … NOT NULL without DEFAULT.</summary>
public sealed class AddRequiredColumnRule : HazardRule
{
    public override string Id => RuleIds.AddRequiredColumn;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddColumn && e.Declaration is { NotNull: true, HasDefault: false } && !phase.IsNew(e)
            ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} NOT NULL without a default: fails on a non-empty table, and the running version's INSERTs omit it")
            : null);
}
