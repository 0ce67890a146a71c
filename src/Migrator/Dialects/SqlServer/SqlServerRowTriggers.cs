namespace Migrator.Dialects.SqlServer;

/// <summary>
/// The triggers of column rewrites and fills on SQL Server: AFTER INSERT, UPDATE, set-based over the
/// whole <c>inserted</c> and <c>deleted</c> sets joined on the primary key, never read into variables,
/// so a statement that writes many rows is handled row by row. The expressions of a rewrite read
/// columns by the names their app version sees; each is evaluated in a <c>CROSS APPLY</c> over a
/// one-row <c>VALUES</c> list that exposes exactly those names (bound to the <c>inserted</c> row, or to
/// the row as the trigger's own first UPDATE left it), so an expression never needs rewriting and an
/// unqualified name can only mean the column of its side.
/// <para>SQL Server cannot change a row before it is written, so the trigger updates the rows just
/// written. Its own UPDATE would fire it again where RECURSIVE_TRIGGERS is on: it returns at once when
/// <c>TRIGGER_NESTLEVEL(@@PROCID)</c> &gt; 1, and a sync trigger also when the backfill's session key
/// says the write is the backfill's own (<see cref="SqlServerDialect.BackfillSessionKey"/>).</para>
/// </summary>
internal static class SqlServerRowTriggers
{
    /// <summary>
    /// The version-agnostic rule of docs/operations.md, per row: a row whose new side was written (an
    /// INSERT giving any new column, or an UPDATE changing one) gets the old side from the new
    /// (<c>Down</c>), and then each required new column it left NULL from the old side just derived;
    /// any other row that was inserted, changed its old side, or still has no new value gets the new
    /// side from the old (<c>Up</c>).
    /// </summary>
    public static TriggerStatements Sync(SqlServerDialect d, ColumnSync sync)
    {
        RequireKey(sync.Schema, sync.Table, sync.Key);
        string name = d.ShortenName($"migrator_sync_{sync.ChangeId}_{sync.Label}");
        string table = d.Qualified(sync.Schema, sync.Table);
        string trigger = d.Qualified(sync.Schema, name);
        string from = From(d, table, sync.Key, withDeleted: true);
        var newCols = sync.Up.Select(a => d.Quote(a.Column)).ToList();
        var oldCols = sync.Down.Select(a => d.Quote(a.Column)).ToList();
        string inserted = $"d.{d.Quote(sync.Key[0])} IS NULL";
        string anyNewGiven = string.Join(" OR ", newCols.Select(c => $"i.{c} IS NOT NULL"));
        string newChanged = string.Join(" OR ", newCols.Select(c => Changed(c)));
        string oldChanged = string.Join(" OR ", oldCols.Select(c => Changed(c)));
        string newAllNull = string.Join(" AND ", newCols.Select(c => $"i.{c} IS NULL"));
        string newWritten = $"(({inserted}) AND ({anyNewGiven})) OR (NOT ({inserted}) AND ({newChanged}))";
        var oldShape = sync.OldShape.Select(c => (Seen: c, Physical: c)).ToList();

        var body = new List<string>
        {
            Update(d, from, sync.Down, sync.NewShape, "i", $"{newWritten}"),
        };
        var required = sync.Up.Where(a => sync.Required.Contains(a.Column)).ToList();
        if (required.Count > 0)
        {
            // The old side as the first UPDATE just set it is the table's row (t), not inserted's.
            body.Add(Update(d, from, required, oldShape, "t",
                $"({newWritten}) AND ({string.Join(" OR ", required.Select(a => $"t.{d.Quote(a.Column)} IS NULL"))})"));
        }

        body.Add(Update(d, from, sync.Up, oldShape, "i", $"NOT ({newWritten}) AND (({inserted}) OR ({oldChanged}) OR ({newAllNull}))"));
        string create = $"""
            CREATE OR ALTER TRIGGER {trigger} ON {table} AFTER INSERT, UPDATE AS
            BEGIN
                SET NOCOUNT ON;
                IF TRIGGER_NESTLEVEL(@@PROCID) > 1 RETURN;
                IF CAST(SESSION_CONTEXT({d.Literal(SqlServerDialect.BackfillSessionKey)}) AS nvarchar(10)) = N'on' RETURN;
            {string.Join("\n", body)}
            END;
            """;
        return new TriggerStatements([new PlannedStatement(create)], [new PlannedStatement($"DROP TRIGGER IF EXISTS {trigger};")]);
    }

    /// <summary>Fills the column from the expression, over the row as written, wherever a write left it NULL.</summary>
    public static TriggerStatements Fill(SqlServerDialect d, ColumnFill fill)
    {
        RequireKey(fill.Schema, fill.Table, fill.Key);
        string name = d.ShortenName($"migrator_fill_{fill.ChangeId}_{fill.Column}");
        string table = d.Qualified(fill.Schema, fill.Table);
        string trigger = d.Qualified(fill.Schema, name);
        string from = From(d, table, fill.Key, withDeleted: false);
        string update = Update(d, from, [new SyncAssignment(fill.Column, fill.Expression)], [.. fill.Shape.Select(c => (c, c))], "i",
            $"t.{d.Quote(fill.Column)} IS NULL");
        string create = $"""
            CREATE OR ALTER TRIGGER {trigger} ON {table} AFTER INSERT, UPDATE AS
            BEGIN
                SET NOCOUNT ON;
                IF TRIGGER_NESTLEVEL(@@PROCID) > 1 RETURN;
            {update}
            END;
            """;
        return new TriggerStatements([new PlannedStatement(create)], [new PlannedStatement($"DROP TRIGGER IF EXISTS {trigger};")]);
    }

    private static void RequireKey(string schema, string table, IReadOnlyList<string> key)
    {
        if (key.Count == 0)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{schema}.{table} has no primary key: a SQL Server trigger joins inserted and deleted on it");
        }
    }

    /// <summary>"a is distinct from b" without IS DISTINCT FROM (SQL Server 2022 only).</summary>
    private static string Changed(string column) => $"NOT EXISTS (SELECT i.{column} INTERSECT SELECT d.{column})";

    private static string From(SqlServerDialect d, string table, IReadOnlyList<string> key, bool withDeleted)
    {
        string join(string alias) => string.Join(" AND ", key.Select(k => $"{alias}.{d.Quote(k)} = i.{d.Quote(k)}"));
        string from = $"    FROM {table} AS t\n    JOIN inserted AS i ON {join("t")}";
        return withDeleted ? from + $"\n    LEFT JOIN deleted AS d ON {join("d")}" : from;
    }

    /// <summary>One set-based UPDATE: each assigned column from its expression, evaluated over a
    /// one-row VALUES list that names the shape's columns as their version sees them, read from
    /// <paramref name="alias"/>'s physical columns.</summary>
    private static string Update(SqlServerDialect d, string from, IReadOnlyList<SyncAssignment> assignments, IReadOnlyList<(string Seen, string Physical)> shape, string alias, string where)
    {
        string set = string.Join(", ", assignments.Select((a, n) => $"t.{d.Quote(a.Column)} = v.[value_{n}]"));
        string values = string.Join(", ", assignments.Select((a, n) => $"({a.Expression}) AS [value_{n}]"));
        string row = string.Join(", ", shape.Select(s => $"{alias}.{d.Quote(s.Physical)}"));
        string names = string.Join(", ", shape.Select(s => d.Quote(s.Seen)));
        return $"""
                UPDATE t SET {set}
            {from}
                CROSS APPLY (SELECT {values} FROM (VALUES ({row})) AS s ({names})) AS v
                WHERE {where};
            """;
    }
}
