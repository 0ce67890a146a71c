using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>CREATE INDEX without CONCURRENTLY on an existing table (ON ONLY a partitioned parent is
/// instant: the partitions' indexes are built concurrently and attached).</summary>
public sealed class BlockingIndexBuildRule : HazardRule
{
    public override string Id => RuleIds.BlockingIndexBuild;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.CreateIndex && !e.Concurrently && !e.OnlyParent && !phase.IsNew(e)
            ? (Severity.Error, $"builds an index on {e.QualifiedTable} without CONCURRENTLY{(phase.SqlServer ? " (SQL Server: WITH (ONLINE = ON), on an edition that has it)" : "")}: writes are blocked for the whole build")
            : null);
}
