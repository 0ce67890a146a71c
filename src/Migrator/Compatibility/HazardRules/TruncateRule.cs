using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>TRUNCATE.</summary>
public sealed class TruncateRule : HazardRule
{
    public override string Id => RuleIds.Truncate;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.Truncate
            ? (Severity.Error, $"truncates {e.QualifiedTable}{(e.Cascade ? " with CASCADE" : "")}: data loss under ACCESS EXCLUSIVE")
            : null);
}
