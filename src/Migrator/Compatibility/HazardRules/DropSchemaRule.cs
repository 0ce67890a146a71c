using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DROP SCHEMA / DATABASE.</summary>
public sealed class DropSchemaRule : HazardRule
{
    public override string Id => RuleIds.DropSchema;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.DropSchema ? (Severity.Error, "drops a schema or database") : null);
}
