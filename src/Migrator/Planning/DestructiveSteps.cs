using Migrator.Analyzers.Sql;
using Migrator.Dialects;

namespace Migrator.Planning;

/// <summary>
/// Which steps of a phase lose something that cannot be had back by running the backfill again: a
/// dropped or renamed column, table, view or schema, a retype, a TRUNCATE or DELETE. Read from the
/// steps' SQL with the DDL analyser; a statement it cannot read counts as destructive.
/// </summary>
public static class DestructiveSteps
{
    private static readonly HashSet<DdlKind> Destructive =
    [
        DdlKind.DropColumn, DdlKind.RenameColumn, DdlKind.AlterColumnType, DdlKind.DropTable, DdlKind.RenameTable,
        DdlKind.DropView, DdlKind.Truncate, DdlKind.DropSchema, DdlKind.RenameSchema, DdlKind.Delete, DdlKind.Other,
    ];

    /// <summary>True when any of the first <paramref name="count"/> steps is destructive.</summary>
    public static bool AnyIn(IReadOnlyList<PhaseStep> steps, int count) =>
        steps.Take(count).SelectMany(s => s.Statements).Where(s => !s.IsBoundary).Any(IsDestructive);

    public static bool IsDestructive(PlannedStatement statement)
    {
        var effects = PgDdlAnalyzer.Analyze(statement.Sql);
        return effects.Count == 0 || effects.Any(e => Destructive.Contains(e.Kind));
    }
}
