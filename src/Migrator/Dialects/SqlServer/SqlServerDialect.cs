using FluentMigrator.Expressions;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Conventions;
using FluentMigrator.Runner.Generators.SqlServer;

namespace Migrator.Dialects.SqlServer;

/// <summary>
/// SQL Server behind <see cref="ISqlDialect"/> (2016 and later; docs/sqlserver.md). DDL that
/// FluentMigrator covers comes from its SqlServer2016Generator. No live SQL Server was used to build
/// or test this: every statement is proven to parse with ScriptDom (TSql160Parser), the sync trigger
/// is inspected for multi-row correctness, and the rest waits for a run against a real server
/// (sample-schemas/sqlserver/cycle.sh).
/// </summary>
public sealed class SqlServerDialect(string ledgerSchema = "migrator", bool onlineIndexes = true) : ISqlDialect
{
    private readonly SqlServer2016Generator _generator = new();
    private readonly DefaultConventionSet _conventions = new();

    /// <summary>The session key the backfill sets (sp_set_session_context) so that sync triggers leave
    /// its writes alone, as PostgreSQL's transaction-local <c>migrator.backfill</c> setting does.</summary>
    public const string BackfillSessionKey = "migrator.backfill";

    public string Provider => "sqlserver";

    public string LedgerSchema { get; } = ledgerSchema;

    public string DefaultSchema => "dbo";

    /// <summary>Whether the server's edition builds indexes online (Enterprise, Developer, Azure SQL);
    /// read from SERVERPROPERTY('EngineEdition') at run time (<see cref="EditionQuery"/>).</summary>
    public bool OnlineIndexes { get; } = onlineIndexes;

    /// <summary>1 when the edition supports ONLINE = ON index builds: Enterprise (3), Azure SQL
    /// Database (5), Azure SQL Managed Instance (8); Developer reports 3.</summary>
    public const string EditionQuery = "SELECT CASE WHEN CAST(SERVERPROPERTY('EngineEdition') AS int) IN (3, 5, 8) THEN 1 ELSE 0 END AS online_indexes;";

    public int MaxIdentifierLength => 128;

    public bool Fits(string name) => name.Length <= MaxIdentifierLength;

    /// <summary>Brackets, with <c>]</c> doubled: any character is safe inside.</summary>
    public string Quote(string name) => Fits(name)
        ? "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]"
        : throw new MigratorException(ExitCodes.BadInput, $"name '{name[..40]}…' is {name.Length} characters long; SQL Server allows 128");

    public string Qualified(string schema, string name) => Quote(schema) + "." + Quote(name);

    /// <summary>An nvarchar literal (N'…', quotes doubled).</summary>
    public string Literal(string text) => "N'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public IReadOnlyList<PlannedStatement> Generate(IMigrationExpression expression)
    {
        expression = expression.Apply(_conventions);
        string sql = expression switch
        {
            ExecuteSqlStatementExpression e => e.SqlStatement,
            PerformDBOperationExpression => throw new MigratorException(ExitCodes.BadInput,
                "Execute.WithConnection is not supported in a change: its effect cannot be planned; use Execute.Sql"),
            _ => Dispatch(expression),
        };
        return string.IsNullOrWhiteSpace(sql) ? [] : [new PlannedStatement(sql.Trim())];
    }

    private string Dispatch(IMigrationExpression expression)
    {
        try
        {
            return _generator.Generate((dynamic)expression);
        }
        catch (Microsoft.CSharp.RuntimeBinder.RuntimeBinderException)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{expression.GetType().Name} has no SQL Server translation in FluentMigrator");
        }
    }

    /// <summary>T-SQL has no statement that must run outside a transaction among those Migrator plans.</summary>
    public PlannedStatement Classify(string sql) => new(sql);

    public IReadOnlyList<PlannedStatement> ClassifyScript(string sql) => [Classify(sql)];

    /// <summary>No T-SQL reader for the hazard rules yet (docs/sqlserver.md): `lint` refuses the provider.</summary>
    public IReadOnlyList<Analyzers.Sql.DdlEffect>? ReadStatements(string sql) => null;

    public bool? IsVolatile(string function) => null;

    public PlannedStatement DropTable(string schema, string table) => new($"DROP TABLE IF EXISTS {Qualified(schema, table)};");

    /// <summary>A nonclustered index drop is a metadata change (a short Sch-M lock); SQL Server has no
    /// partition-by-partition form to choose.</summary>
    public PlannedStatement DropIndex(string schema, string table, string index, bool partitioned) =>
        new($"DROP INDEX IF EXISTS {Quote(index)} ON {Qualified(schema, table)};");

    /// <summary>A default is a constraint on SQL Server: the column's current one (its name is not
    /// known offline) is dropped first, then the new one added with a name Migrator makes.</summary>
    public PlannedStatement SetDefault(string schema, string table, string column, string defaultSql) =>
        new(DropDefaultSql(schema, table, column) + "\n" +
            $"ALTER TABLE {Qualified(schema, table)} ADD CONSTRAINT {Quote(SqlServerSyncTrigger.Name(this, $"DF_{table}_{column}"))} DEFAULT ({defaultSql}) FOR {Quote(column)};");

    public PlannedStatement DropDefault(string schema, string table, string column) => new(DropDefaultSql(schema, table, column));

    private string DropDefaultSql(string schema, string table, string column)
    {
        string name = Literal(Qualified(schema, table));
        return $"""
            DECLARE @default sysname = (SELECT dc.name FROM sys.default_constraints AS dc
                WHERE dc.parent_object_id = OBJECT_ID({name}) AND dc.parent_column_id = COLUMNPROPERTY(OBJECT_ID({name}), {Literal(column)}, 'ColumnId'));
            DECLARE @drop_default nvarchar(max) = N'ALTER TABLE {Qualified(schema, table).Replace("'", "''", StringComparison.Ordinal)} DROP CONSTRAINT ' + QUOTENAME(@default);
            IF @default IS NOT NULL EXEC sp_executesql @drop_default;
            """;
    }

    /// <summary>sp_rename takes the old name whole and the new one bare.</summary>
    public PlannedStatement RenameTable(string schema, string table, string newName, bool ifExists)
    {
        string rename = $"EXEC sp_rename {Literal(Qualified(schema, table))}, {Literal(newName)};";
        return new(ifExists ? $"IF OBJECT_ID({Literal(Qualified(schema, table))}, N'U') IS NOT NULL {rename}" : rename);
    }

    /// <summary>A single-table view with every column is updatable on SQL Server: the old version's
    /// inserts, updates and deletes through the old name reach the renamed table.</summary>
    public PlannedStatement CreatePassThroughView(string schema, string view, string table) =>
        new($"CREATE VIEW {Qualified(schema, view)} AS SELECT * FROM {Qualified(schema, table)};");

    public PlannedStatement DropView(string schema, string view) => new($"DROP VIEW IF EXISTS {Qualified(schema, view)};");

    /// <summary>A nullable column with no default is a metadata-only change on every edition.</summary>
    public PlannedStatement AddColumn(string schema, string table, string column, string type) =>
        new($"ALTER TABLE {Qualified(schema, table)} ADD {Quote(column)} {type} NULL;");

    /// <summary>Guarded: a rollback may run after a partial expand.</summary>
    public PlannedStatement DropColumn(string schema, string table, string column) =>
        new($"IF COL_LENGTH({Literal(Qualified(schema, table))}, {Literal(column)}) IS NOT NULL ALTER TABLE {Qualified(schema, table)} DROP COLUMN {Quote(column)};");

    /// <summary>sp_rename takes the old name as one string, quoted part by part.</summary>
    public PlannedStatement RenameColumn(string schema, string table, string column, string newName) =>
        new($"EXEC sp_rename {Literal(Qualified(schema, table) + "." + Quote(column))}, {Literal(newName)}, N'COLUMN';");

    /// <summary>ONLINE = ON with WAIT_AT_LOW_PRIORITY (the build's final Sch-M lock waits behind the
    /// app's queries for at most a minute, then the build gives up rather than blocking them) where
    /// the edition supports it; otherwise a plain build, which blocks writes to the table while it
    /// runs (reported by the hazard rules).</summary>
    public PlannedStatement CreateIndexOnline(string schema, string table, string index, IReadOnlyList<string> columns, bool unique)
    {
        string create = $"CREATE {(unique ? "UNIQUE " : "")}INDEX {Quote(index)} ON {Qualified(schema, table)} ({string.Join(", ", columns.Select(Quote))})";
        return PlannedStatement.Alone(OnlineIndexes
            ? create + " WITH (ONLINE = ON (WAIT_AT_LOW_PRIORITY (MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF)));"
            : create + ";");
    }

    /// <summary>
    /// CHECK … WITH NOCHECK (metadata only: new writes are checked, old rows are not), then WITH CHECK
    /// CHECK CONSTRAINT (a scan that makes the constraint trusted). SQL Server cannot turn a trusted
    /// CHECK into NOT NULL without scanning again under a schema-modification lock, so the trusted
    /// CHECK stays as the column's NOT NULL guarantee (the optimizer uses trusted checks too); the
    /// column itself stays nullable in the catalog. <paramref name="type"/> is unused: nothing alters
    /// the column.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<PlannedStatement>> ProveNotNull(string schema, string table, string column, string type, string constraint)
    {
        string t = Qualified(schema, table);
        return
        [
            [new PlannedStatement($"ALTER TABLE {t} WITH NOCHECK ADD CONSTRAINT {Quote(constraint)} CHECK ({Quote(column)} IS NOT NULL);")],
            [new PlannedStatement($"ALTER TABLE {t} WITH CHECK CHECK CONSTRAINT {Quote(constraint)};")],
        ];
    }

    public SyncTriggerSql SyncTrigger(SyncColumns columns) => SqlServerSyncTrigger.For(this, columns);

    /// <summary>
    /// One keyset batch: the upper key of the next <c>BatchSize</c> pending rows after <c>@last_*</c>
    /// (a TOP … ORDER BY over the key, an index range scan), then one UPDATE of that key range with
    /// ROWLOCK, READPAST (rows an app transaction holds are skipped and picked up by a later pass), and
    /// OUTPUT of the keys for the checkpoint. Parameters: <c>@last_&lt;n&gt;</c> per key column (NULL before
    /// the first batch, and <c>@has_last</c> = 0). The upper key is held in variables of the key columns
    /// own types when <see cref="BackfillBatchSpec.KeyTypes"/> gives them, so the range stays an index
    /// seek; sql_variant otherwise.
    /// </summary>
    public string BackfillBatch(BackfillBatchSpec batch)
    {
        string table = Qualified(batch.Schema, batch.Table);
        var key = batch.Key.Select(Quote).ToList();
        string after = "(@has_last = 0 OR " + KeyAfter(key, "", i => $"@last_{i}") + ")";
        string order = string.Join(", ", key);
        string upperVars = string.Join(", ", key.Select((k, i) => $"@upper_{i} = u.{k}"));
        string notAfterUpper = "NOT " + KeyAfter(key, "t.", i => $"@upper_{i}");
        return $"""
            DECLARE {string.Join(", ", key.Select((_, i) => $"@upper_{i} {batch.KeyTypes?[i] ?? "sql_variant"}"))};
            SELECT TOP (1) {upperVars}
            FROM (SELECT TOP ({batch.BatchSize}) {order} FROM {table} WITH (READPAST)
                  WHERE {after} AND ({batch.Pending})
                  ORDER BY {order}) AS u
            ORDER BY {string.Join(", ", key.Select(k => "u." + k + " DESC"))};
            UPDATE t SET {batch.Set}
            OUTPUT {string.Join(", ", key.Select(k => "inserted." + k))}
            FROM {table} AS t WITH (ROWLOCK, READPAST)
            WHERE {after} AND {notAfterUpper} AND ({batch.Pending});
            """;
    }

    /// <summary>(k1, k2, …) &gt; (v1, v2, …) without row values, which T-SQL lacks:
    /// k1 &gt; v1 OR (k1 = v1 AND (k2 &gt; v2 OR …)).</summary>
    private static string KeyAfter(IReadOnlyList<string> key, string prefix, Func<int, string> value)
    {
        string result = $"{prefix}{key[^1]} > {value(key.Count - 1)}";
        for (int i = key.Count - 2; i >= 0; i--)
        {
            result = $"{prefix}{key[i]} > {value(i)} OR ({prefix}{key[i]} = {value(i)} AND ({result}))";
        }

        return "(" + result + ")";
    }

    public IReadOnlyList<string> LedgerTables() => SqlServerLedgerLayout.Create(this);

    /// <summary>sp_getapplock on a resource named after the ledger schema, owned by the session, not
    /// waiting (the caller retries until --lock-wait has passed); returns 1 when taken.</summary>
    public string TryLedgerLock(bool shared) => $"""
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = {Literal("migrator ledger " + LedgerSchema)}, @LockMode = {(shared ? "N'Shared'" : "N'Exclusive'")}, @LockOwner = N'Session', @LockTimeout = 0;
        SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END AS taken;
        """;

    public string SetLockTimeout(int milliseconds) => $"SET LOCK_TIMEOUT {milliseconds};";

    public string LockTimeoutError => "1222";
}
