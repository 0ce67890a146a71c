using Migrator.Schema;

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

    public PlannedStatement CreateIndexOnline(string schema, string table, string index, IReadOnlyList<string> columns, bool unique, string? where = null) =>
        Classify($"CREATE {(unique ? "UNIQUE " : "")}INDEX CONCURRENTLY {Quote(index)} ON {Qualified(schema, table)} ({string.Join(", ", columns.Select(Quote))}){(where is null ? "" : $" WHERE {where}")};");

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

    /// <summary>BEFORE row triggers run before NOT NULL and CHECK are checked.</summary>
    public bool TriggersFillBeforeChecks => true;

    public string ShortenName(string name) => PgNames.Fit(name);

    public string Cast(string expression, string type) => $"{expression}::{type}";

    public string TextLength(string expression) => $"char_length({expression})";

    public string FirstRow(string fromWhere) => $"SELECT 1 FROM {fromWhere} LIMIT 1";

    public string Breaks(string condition) => $"({condition}) IS FALSE";

    public PlannedStatement AddCheck(string schema, string table, string name, string condition) =>
        new($"ALTER TABLE {Qualified(schema, table)} ADD CONSTRAINT {Quote(name)} CHECK ({condition}) NOT VALID;");

    public PlannedStatement ValidateConstraint(string schema, string table, string name) =>
        new($"ALTER TABLE {Qualified(schema, table)} VALIDATE CONSTRAINT {Quote(name)};");

    public PlannedStatement DropConstraint(string schema, string table, string name) =>
        new($"ALTER TABLE {Qualified(schema, table)} DROP CONSTRAINT IF EXISTS {Quote(name)};");

    public IReadOnlyList<PlannedStatement> SetNotNullProven(string schema, string table, string column, string check) =>
        [new($"ALTER TABLE {Qualified(schema, table)} ALTER COLUMN {Quote(column)} SET NOT NULL, DROP CONSTRAINT {Quote(check)};")];

    public PlannedStatement DropNotNull(string schema, string table, ColumnModel column, bool filledByTrigger = false) =>
        new($"ALTER TABLE {Qualified(schema, table)} ALTER COLUMN {Quote(column.Name)} DROP NOT NULL;");

    public PlannedStatement AddForeignKey(string schema, string table, ForeignKeySpec key, bool validated) =>
        new($"ALTER TABLE {Qualified(schema, table)} ADD CONSTRAINT {Quote(key.Name)} FOREIGN KEY ({string.Join(", ", key.Columns.Select(Quote))}) " +
            $"REFERENCES {Qualified(key.ReferencedSchema, key.ReferencedTable)} ({string.Join(", ", key.ReferencedColumns.Select(Quote))}) ON DELETE {key.OnDelete}{(validated ? "" : " NOT VALID")};");

    /// <summary>A unique index built CONCURRENTLY (alone), then made the constraint (instant).</summary>
    public IReadOnlyList<PlannedStatement> AddUnique(string schema, string table, string name, IReadOnlyList<string> columns) =>
    [
        Classify($"CREATE UNIQUE INDEX CONCURRENTLY {Quote(name)} ON {Qualified(schema, table)} ({string.Join(", ", columns.Select(Quote))});"),
        new PlannedStatement($"ALTER TABLE {Qualified(schema, table)} ADD CONSTRAINT {Quote(name)} UNIQUE USING INDEX {Quote(name)};"),
    ];

    public IReadOnlyList<PlannedStatement> DropUnique(string schema, string table, string name) =>
    [
        DropConstraint(schema, table, name).Guarded(OwnedObject.Constraint(schema, table, name)),
        PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {Qualified(schema, name)};").Guarded(OwnedObject.Relation(schema, name)),
    ];

    public TriggerStatements ColumnSync(ColumnSync sync)
    {
        var trigger = new SyncTrigger(LedgerSchema, sync.ChangeId, sync.Schema, sync.Table, sync.Label, sync.Up, sync.Down)
        {
            OldShape = sync.OldShape,
            Required = sync.Required,
            NewShape = sync.NewShape,
        };
        return new TriggerStatements(trigger.Create(), trigger.Drop());
    }

    public TriggerStatements ColumnFill(ColumnFill fill)
    {
        var trigger = new FillTrigger(LedgerSchema, fill.ChangeId, fill.Schema, fill.Table, fill.Column, fill.Expression, fill.Shape);
        return new TriggerStatements(trigger.Create(), trigger.Drop());
    }

    /// <summary>The old column's views and CHECK constraints are held first (a reader locks a view before
    /// the tables under it, so taking them in that order cannot deadlock with one); the old column is
    /// renamed aside, the new one takes its name, the views are recreated (they bind to the new column),
    /// the old column is dropped, its checks are added again on the new one (NOT VALID, validated
    /// afterwards in a transaction of their own), and the column gets its final name. Checks the change
    /// made itself (<paramref name="ownChecks"/>) are carried over like every other.</summary>
    public ColumnReplacement ReplaceColumn(string schema, string table, string old, string physical, string final, IReadOnlyList<string> ownChecks)
    {
        string t = Qualified(schema, table);
        string aside = PgNames.Fit($"migrator_old_{old}");
        var steps = new List<PlannedStatement>
        {
            new($"ALTER TABLE {t} RENAME COLUMN {Quote(old)} TO {Quote(aside)};"),
            new($"ALTER TABLE {t} RENAME COLUMN {Quote(physical)} TO {Quote(old)};"),
            HeldViews.Recreate(LedgerSchema, schema, table, old),
            new($"ALTER TABLE {t} DROP COLUMN {Quote(aside)};"),
            HeldViews.RecreateChecks(LedgerSchema, schema, table, old),
        };
        if (final != old)
        {
            steps.Add(new($"ALTER TABLE {t} RENAME COLUMN {Quote(old)} TO {Quote(final)};"));
        }

        return new ColumnReplacement(HeldViews.Hold(LedgerSchema, schema, table, old), steps, [HeldViews.ValidateChecks(LedgerSchema, schema, table)]);
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
