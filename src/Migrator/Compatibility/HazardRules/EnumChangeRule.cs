using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ALTER TYPE (enum values).</summary>
public sealed class EnumChangeRule : HazardRule
{
    public override string Id => RuleIds.EnumChange;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AlterEnum
            ? (Severity.Warning, $"changes type {e.QualifiedTable}: a running version may read a value it does not know")
            : null);
}
