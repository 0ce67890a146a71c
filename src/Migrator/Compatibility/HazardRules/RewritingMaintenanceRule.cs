using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>REINDEX without CONCURRENTLY, VACUUM FULL, CLUSTER.</summary>
public sealed class RewritingMaintenanceRule : HazardRule
{
    public override string Id => RuleIds.RewritingMaintenance;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => (e.Kind == DdlKind.Reindex && !e.Concurrently) || e.Kind is DdlKind.VacuumFull or DdlKind.Cluster
            ? (Severity.Error, $"runs {e.Kind} under an exclusive lock: use REINDEX CONCURRENTLY or pg_repack")
            : null);
}
