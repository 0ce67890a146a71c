using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ALTER SCHEMA … RENAME: every qualified name the running version uses breaks at once.</summary>
public sealed class RenameSchemaRule : HazardRule
{
    public override string Id => RuleIds.RenameSchema;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.RenameSchema
            ? (Severity.Error, $"renames schema {e.Table} to {e.NewName}: every name the running version qualifies with it breaks (create the new schema and move objects over releases)")
            : null);
}
