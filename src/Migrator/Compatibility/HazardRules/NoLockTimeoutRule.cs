using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A plain migration whose first lock-taking DDL on an existing table runs with no lock_timeout set
/// before it: if the lock is not free, the DDL waits and every query on the table queues behind it.
/// Migrator's own phases always run with one, so this is for lint only; it is a note, since runners often
/// set it themselves.</summary>
public sealed class NoLockTimeoutRule : HazardRule
{
    private static readonly HashSet<DdlKind> Locking =
    [
        DdlKind.AddColumn, DdlKind.DropColumn, DdlKind.RenameColumn, DdlKind.AlterColumnType, DdlKind.SetNotNull, DdlKind.DropNotNull,
        DdlKind.SetDefault, DdlKind.DropDefault, DdlKind.AddConstraint, DdlKind.DropConstraint, DdlKind.DropTable, DdlKind.RenameTable,
        DdlKind.CreateIndex, DdlKind.DropIndex, DdlKind.Truncate, DdlKind.DetachPartition, DdlKind.AlterEnum,
    ];

    public override string Id => RuleIds.NoLockTimeout;

    public override IEnumerable<Finding> Check(PhaseSql phase)
    {
        if (!phase.IsPlainMigration || phase.Earlier.Any(e => e.Kind == DdlKind.SetLockTimeout))
        {
            return [];
        }

        var first = phase.Effects.TakeWhile(e => e.Kind != DdlKind.SetLockTimeout)
            .FirstOrDefault(e => Locking.Contains(e.Kind) && !phase.IsNew(e) && !(e.Kind == DdlKind.CreateIndex && e.Concurrently));
        return first is null ? []
            : [Hit(phase, first, Severity.Info, $"takes a lock on {first.QualifiedTable} with no lock_timeout set: if the lock is busy the statement waits, and every query on the table queues behind it (SET lock_timeout = '2s' first, and retry)")];
    }
}
