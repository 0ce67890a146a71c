using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DETACH PARTITION without CONCURRENTLY.</summary>
public sealed class BlockingDetachPartitionRule : HazardRule
{
    public override string Id => RuleIds.BlockingDetachPartition;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.DetachPartition && !e.Concurrently
            ? (Severity.Error, $"detaches a partition of {e.QualifiedTable} without CONCURRENTLY")
            : null);
}
