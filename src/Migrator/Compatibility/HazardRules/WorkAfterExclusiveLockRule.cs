using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>In one transaction, statements after one that takes ACCESS EXCLUSIVE on an existing table: the
/// lock is held until the commit, through all of them.</summary>
public sealed class WorkAfterExclusiveLockRule : HazardRule
{
    private static readonly HashSet<DdlKind> Exclusive =
    [
        DdlKind.AddColumn, DdlKind.DropColumn, DdlKind.RenameColumn, DdlKind.AlterColumnType, DdlKind.SetNotNull, DdlKind.DropNotNull,
        DdlKind.SetDefault, DdlKind.DropDefault, DdlKind.DropTable, DdlKind.RenameTable, DdlKind.Truncate, DdlKind.DropIndex,
    ];

    public override string Id => RuleIds.WorkAfterExclusiveLock;

    public override IEnumerable<Finding> Check(PhaseSql phase)
    {
        // Migrator's own phases group statements on purpose (each short); the note is for plain migrations.
        if (!phase.IsPlainMigration)
        {
            yield break;
        }

        foreach (var step in phase.Steps.Where(s => s.InTransaction))
        {
            var effects = step.SelectMany(s => s.Effects).ToList();
            var locker = effects.FirstOrDefault(e => Exclusive.Contains(e.Kind) && !phase.IsNew(e) && !(e.Kind == DdlKind.DropIndex && e.Concurrently));
            if (locker is null)
            {
                continue;
            }

            // Statements on other objects after it (more ALTERs of the same table share the lock anyway).
            var later = effects.SkipWhile(e => !ReferenceEquals(e, locker)).Skip(1)
                .FirstOrDefault(e => e.Offset != locker.Offset && (e.Table != locker.Table || e.Kind is DdlKind.Update or DdlKind.Insert or DdlKind.Delete or DdlKind.ValidateConstraint or DdlKind.CreateIndex));
            if (later is not null)
            {
                yield return Hit(phase, later, Severity.Info, $"runs after {locker.Kind} took ACCESS EXCLUSIVE on {locker.QualifiedTable} in the same transaction: that lock is held through it, blocking the table's readers (commit first)");
            }
        }
    }
}
