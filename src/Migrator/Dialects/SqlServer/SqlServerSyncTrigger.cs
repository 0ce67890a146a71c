namespace Migrator.Dialects.SqlServer;

/// <summary>
/// The sync trigger on SQL Server: AFTER INSERT, UPDATE, set-based over the whole <c>inserted</c> and
/// <c>deleted</c> sets (joined on the primary key, never read into variables, so a statement that
/// writes many rows is handled row by row), following the same version-agnostic rule as PostgreSQL's
/// (docs/operations.md):
/// <list type="bullet">
/// <item>a row whose new column was written (an INSERT giving it, or an UPDATE changing it) gets the
/// old column from it (<c>Down</c>);</item>
/// <item>otherwise, a row whose old column was written, or whose new column is still NULL, gets the
/// new column from the old (<c>Up</c>).</item>
/// </list>
/// SQL Server cannot change the row before it is written, so the trigger updates the rows it just
/// wrote. That UPDATE would fire the trigger again where RECURSIVE_TRIGGERS is on, so the trigger
/// returns at once when <c>TRIGGER_NESTLEVEL(@@PROCID)</c> &gt; 1, and when the backfill's session key
/// (<see cref="SqlServerDialect.BackfillSessionKey"/>) says the write is the backfill's own.
/// </summary>
public static class SqlServerSyncTrigger
{
    public static SyncTriggerSql For(SqlServerDialect dialect, SyncColumns c)
    {
        if (c.Key.Count == 0)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{c.Schema}.{c.Table} has no primary key: a SQL Server sync trigger joins inserted and deleted on it");
        }

        string name = Name(dialect, $"migrator_sync_{c.ChangeId}_{c.NewColumn}");
        string table = dialect.Qualified(c.Schema, c.Table);
        string trigger = dialect.Qualified(c.Schema, name);
        string oldCol = dialect.Quote(c.OldColumn);
        string newCol = dialect.Quote(c.NewColumn);
        string joinInserted = string.Join(" AND ", c.Key.Select(k => $"t.{dialect.Quote(k)} = i.{dialect.Quote(k)}"));
        string joinDeleted = string.Join(" AND ", c.Key.Select(k => $"d.{dialect.Quote(k)} = i.{dialect.Quote(k)}"));
        string firstKey = dialect.Quote(c.Key[0]);

        // "a is distinct from b" without IS DISTINCT FROM (SQL Server 2022 only): NOT EXISTS (SELECT a INTERSECT SELECT b).
        string newChanged = $"NOT EXISTS (SELECT i.{newCol} INTERSECT SELECT d.{newCol})";
        string oldChanged = $"NOT EXISTS (SELECT i.{oldCol} INTERSECT SELECT d.{oldCol})";
        string insertedRow = $"d.{firstKey} IS NULL";
        string newWritten = $"({insertedRow} AND i.{newCol} IS NOT NULL) OR (NOT ({insertedRow}) AND {newChanged})";
        string create = $"""
            CREATE OR ALTER TRIGGER {trigger} ON {table} AFTER INSERT, UPDATE AS
            BEGIN
                SET NOCOUNT ON;
                IF TRIGGER_NESTLEVEL(@@PROCID) > 1 RETURN;
                IF CAST(SESSION_CONTEXT({dialect.Literal(SqlServerDialect.BackfillSessionKey)}) AS nvarchar(10)) = N'on' RETURN;
                UPDATE t SET t.{oldCol} = {Bind(c.Down, c.NewColumn, "i", dialect)}
                FROM {table} AS t
                JOIN inserted AS i ON {joinInserted}
                LEFT JOIN deleted AS d ON {joinDeleted}
                WHERE {newWritten};
                UPDATE t SET t.{newCol} = {Bind(c.Up, c.OldColumn, "i", dialect)}
                FROM {table} AS t
                JOIN inserted AS i ON {joinInserted}
                LEFT JOIN deleted AS d ON {joinDeleted}
                WHERE NOT ({newWritten}) AND ({insertedRow} OR {oldChanged} OR i.{newCol} IS NULL);
            END;
            """;
        string drop = $"DROP TRIGGER IF EXISTS {trigger};";
        return new SyncTriggerSql([create], [drop], name);
    }

    /// <summary>The expression with its one column read from the <paramref name="alias"/> row (the
    /// expressions here name a single column: a copy, or a cast of it).</summary>
    private static string Bind(string expression, string column, string alias, SqlServerDialect dialect) =>
        expression.Replace(dialect.Quote(column), $"{alias}.{dialect.Quote(column)}", StringComparison.Ordinal);

    /// <summary>Names Migrator makes stay within 128 characters, with 8 hex digits of the full name's
    /// SHA-256 when they had to be shortened.</summary>
    public static string Name(SqlServerDialect dialect, string name)
    {
        if (dialect.Fits(name))
        {
            return name;
        }

        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(dialect.MaxIdentifierLength - 9)] + "_" + hash;
    }
}
