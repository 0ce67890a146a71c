using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>UPDATE / DELETE of existing rows in the same transaction as DDL on that table: the table stays locked for the whole backfill.</summary>
public sealed class BackfillWithDdlRule : HazardRule
{
    private static readonly HashSet<DdlKind> Ddl =
    [
        DdlKind.AddColumn, DdlKind.DropColumn, DdlKind.RenameColumn, DdlKind.AlterColumnType, DdlKind.SetNotNull,
        DdlKind.DropNotNull, DdlKind.SetDefault, DdlKind.DropDefault, DdlKind.AddConstraint, DdlKind.ValidateConstraint,
    ];

    public override string Id => RuleIds.BackfillWithDdl;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        from step in phase.Steps
        where step.InTransaction
        let effects = step.SelectMany(s => s.Effects).ToList()
        from update in effects
        where update.Kind is DdlKind.Update or DdlKind.Delete && !phase.IsNew(update)
            // DDL before the update holds its lock through it; DDL after it waits for it, then commits at once.
            && effects.TakeWhile(d => !ReferenceEquals(d, update)).Any(d => Ddl.Contains(d.Kind) && d.Table == update.Table)
        select Hit(phase, update, Severity.Warning, $"changes rows of {update.QualifiedTable} in the same transaction as DDL on it: the lock is held for the whole update (use a backfill)");
}
