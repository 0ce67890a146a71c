namespace Migrator.Dialects.Postgres;

/// <summary>PostgreSQL behind <see cref="ISqlDialect"/>: the same SQL the operations have always
/// written (they still call these helpers directly; the golden docs and phase checksums are unchanged).</summary>
public sealed partial class PostgresDialect : ISqlDialect
{
    public string Provider => "postgres";

    public string DefaultSchema => "public";

    public int MaxIdentifierLength => PgNames.MaxBytes;

    public bool Fits(string name) => PgNames.Bytes(name) <= PgNames.MaxBytes;

    public string Quote(string name) => PgSql.Ident(name);

    public string Qualified(string schema, string name) => PgSql.Qualified(schema, name);

    public string Literal(string text) => PgSql.Literal(text);

    PlannedStatement ISqlDialect.Classify(string sql) => Classify(sql);

    IReadOnlyList<PlannedStatement> ISqlDialect.ClassifyScript(string sql) => ClassifyScript(sql);

    public IReadOnlyList<Analyzers.Sql.DdlEffect> ReadStatements(string sql) => Analyzers.Sql.PgDdlAnalyzer.Analyze(sql);

    public bool? IsVolatile(string function) => Analyzers.Sql.PgFunctions.IsVolatile(function);

    public PlannedStatement DropTable(string schema, string table) => new($"DROP TABLE IF EXISTS {Qualified(schema, table)};");

    /// <summary>CONCURRENTLY, alone; PostgreSQL cannot drop a partitioned table's index concurrently.</summary>
    public PlannedStatement DropIndex(string schema, string table, string index, bool partitioned) => partitioned
        ? new PlannedStatement($"DROP INDEX IF EXISTS {Qualified(schema, index)};")
        : PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {Qualified(schema, index)};");

    public PlannedStatement SetDefault(string schema, string table, string column, string defaultSql) =>
        new($"ALTER TABLE {Qualified(schema, table)} ALTER COLUMN {Quote(column)} SET DEFAULT {defaultSql};");

    public PlannedStatement DropDefault(string schema, string table, string column) =>
        new($"ALTER TABLE {Qualified(schema, table)} ALTER COLUMN {Quote(column)} DROP DEFAULT;");

    public PlannedStatement RenameTable(string schema, string table, string newName, bool ifExists) =>
        new($"ALTER TABLE {(ifExists ? "IF EXISTS " : "")}{Qualified(schema, table)} RENAME TO {Quote(newName)};");

    public PlannedStatement CreatePassThroughView(string schema, string view, string table) =>
        new($"CREATE VIEW {Qualified(schema, view)} AS SELECT * FROM {Qualified(schema, table)};");

    public PlannedStatement DropView(string schema, string view) => new($"DROP VIEW IF EXISTS {Qualified(schema, view)};");

    public PlannedStatement AddColumn(string schema, string table, string column, string type) =>
        new($"ALTER TABLE {Qualified(schema, table)} ADD {Quote(column)} {type};");

    public PlannedStatement DropColumn(string schema, string table, string column) =>
        new($"ALTER TABLE {Qualified(schema, table)} DROP COLUMN IF EXISTS {Quote(column)};");

    public PlannedStatement RenameColumn(string schema, string table, string column, string newName) =>
        new($"ALTER TABLE {Qualified(schema, table)} RENAME COLUMN {Quote(column)} TO {Quote(newName)};");

    public PlannedStatement CreateIndexOnline(string schema, string table, string index, IReadOnlyList<string> columns, bool unique) =>
        Classify($"CREATE {(unique ? "UNIQUE " : "")}INDEX CONCURRENTLY {Quote(index)} ON {Qualified(schema, table)} ({string.Join(", ", columns.Select(Quote))});");

    /// <summary>CHECK … NOT VALID (instant), VALIDATE (a scan that lets writes go on), then SET NOT NULL,
    /// which PostgreSQL 12+ proves from the validated check without a scan.</summary>
    public IReadOnlyList<IReadOnlyList<PlannedStatement>> ProveNotNull(string schema, string table, string column, string type, string constraint)
    {
        string t = Qualified(schema, table);
        return
        [
            [new PlannedStatement($"ALTER TABLE {t} ADD CONSTRAINT {Quote(constraint)} CHECK ({Quote(column)} IS NOT NULL) NOT VALID;")],
            [new PlannedStatement($"ALTER TABLE {t} VALIDATE CONSTRAINT {Quote(constraint)};")],
            [new PlannedStatement($"ALTER TABLE {t} ALTER COLUMN {Quote(column)} SET NOT NULL, DROP CONSTRAINT {Quote(constraint)};")],
        ];
    }

    public SyncTriggerSql SyncTrigger(SyncColumns columns)
    {
        var trigger = Postgres.SyncTrigger.Mirror(LedgerSchema, columns.ChangeId, columns.Schema, columns.Table, columns.OldColumn, columns.NewColumn);
        return new SyncTriggerSql([.. trigger.Create().Select(s => s.Sql)], [.. trigger.Drop().Select(s => s.Sql)], trigger.TriggerName);
    }

    /// <summary>The batch the backfill library runs (BackfillTarget): rows after <c>@last</c> in key
    /// order, locked with SKIP LOCKED, updated by ctid, returning the count and the last key reached.</summary>
    public string BackfillBatch(BackfillBatchSpec batch)
    {
        var keys = batch.Key.Select(Quote).ToList();
        string row = keys.Count == 1 ? keys[0] : $"({string.Join(", ", keys)})";
        return Backfill.BatchStatement.Sql(Qualified(batch.Schema, batch.Table), keys, batch.Set, batch.Pending, $"{row} > @last AND ", batch.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<string> LedgerTables() => [.. LedgerLayout.Upgrades(LedgerSchema, 0).Select(u => u.Sql)];

    public string TryLedgerLock(bool shared) =>
        $"SELECT {(shared ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock")}(hashtextextended('migrator ledger ' || {Literal(LedgerSchema)}, 0))";

    public string SetLockTimeout(int milliseconds) => $"SET lock_timeout = '{milliseconds}ms'";

    public string LockTimeoutError => "55P03";
}
