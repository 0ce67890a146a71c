using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DROP INDEX without CONCURRENTLY.</summary>
public sealed class BlockingIndexDropRule : HazardRule
{
    public override string Id => RuleIds.BlockingIndexDrop;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.DropIndex && !e.Concurrently
            ? (Severity.Error, $"drops index {e.QualifiedTable} without CONCURRENTLY: an ACCESS EXCLUSIVE lock on its table")
            : null);
}
