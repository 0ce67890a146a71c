using FluentMigrator.Expressions;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Conventions;
using FluentMigrator.Runner.Generators.SqlServer;
using Migrator.Schema;

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
        switch (expression)
        {
            // FluentMigrator's generator splices names into object_id('…') unescaped and separates
            // batches with GO: a quote in a name breaks out of the string. These are written here.
            case DeleteColumnExpression drop:
                return [.. drop.ColumnNames.Select(c => DropColumnWithDefault(drop.SchemaName ?? DefaultSchema, drop.TableName, c))];
            case AlterDefaultConstraintExpression alter when alter.DefaultValue is not null and not FluentMigrator.Model.ColumnDefinition.UndefinedDefaultValue:
                return [SetDefault(alter.SchemaName ?? DefaultSchema, alter.TableName, alter.ColumnName, DefaultSql(alter.DefaultValue))];
            case DeleteDefaultConstraintExpression delete:
                return [DropDefault(delete.SchemaName ?? DefaultSchema, delete.TableName, delete.ColumnName)];
        }

        string sql = expression switch
        {
            ExecuteSqlStatementExpression e => e.SqlStatement,
            PerformDBOperationExpression => throw new MigratorException(ExitCodes.BadInput,
                "Execute.WithConnection is not supported in a change: its effect cannot be planned; use Execute.Sql"),
            _ => Dispatch(expression),
        };
        return string.IsNullOrWhiteSpace(sql) ? [] : [new PlannedStatement(sql.Trim())];
    }

    /// <summary>The column's default constraint (SQL Server refuses to drop a column that has one), then the column.</summary>
    private PlannedStatement DropColumnWithDefault(string schema, string table, string column) =>
        new(DropDefaultSql(schema, table, column) + "\n" + DropOwnChecksSql(schema, table, column) + "\n" + $"ALTER TABLE {Qualified(schema, table)} DROP COLUMN {Quote(column)};");

    /// <summary>The NOT NULL checks Migrator made on a column (<c>migrator_nn_…</c>, the trusted CHECK that
    /// is SQL Server's NOT NULL here): SQL Server refuses to drop a column a CHECK reads. A user's own
    /// CHECK on the column is left, and the drop then fails and rolls back rather than lose it silently.</summary>
    private string DropOwnChecksSql(string schema, string table, string column)
    {
        string name = Literal(Qualified(schema, table));
        return $"""
            DECLARE @own_checks nvarchar(max);
            SELECT @own_checks = CONCAT(@own_checks, N'ALTER TABLE {Qualified(schema, table).Replace("'", "''", StringComparison.Ordinal)} DROP CONSTRAINT ', QUOTENAME(cc.name), N'; ')
                FROM sys.check_constraints AS cc
                WHERE cc.parent_object_id = OBJECT_ID({name}) AND cc.name LIKE N'migrator[_]nn[_]%'
                  AND (cc.parent_column_id = COLUMNPROPERTY(OBJECT_ID({name}), {Literal(column)}, 'ColumnId')
                       OR EXISTS (SELECT 1 FROM sys.sql_expression_dependencies AS dep
                                  WHERE dep.referencing_id = cc.object_id AND dep.referenced_id = cc.parent_object_id
                                    AND dep.referenced_minor_id = COLUMNPROPERTY(OBJECT_ID({name}), {Literal(column)}, 'ColumnId')));
            IF @own_checks IS NOT NULL EXEC sp_executesql @own_checks;
            """;
    }

    /// <summary>A default as SQL: raw SQL as written, a value as FluentMigrator's SQL Server quoter
    /// writes it (strings N'…' with quotes doubled).</summary>
    private static string DefaultSql(object value) => value switch
    {
        FluentMigrator.RawSql raw => raw.Value,
        FluentMigrator.SystemMethods method => new FluentMigrator.Runner.Generators.SqlServer.SqlServer2008Quoter().QuoteValue(method),
        _ => new FluentMigrator.Runner.Generators.SqlServer.SqlServer2008Quoter().QuoteValue(value),
    };

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

    /// <summary>Statements read by ScriptDom (<see cref="TSqlDdlReader"/>).</summary>
    public IReadOnlyList<Analyzers.Sql.DdlEffect>? ReadStatements(string sql) => TSqlDdlReader.Read(sql);

    /// <summary>Whether a built-in gives each row its own value (<see cref="TSqlFunctions"/>).</summary>
    public bool? IsVolatile(string function) => TSqlFunctions.IsVolatile(function);

    public PlannedStatement DropTable(string schema, string table) => new($"DROP TABLE IF EXISTS {Qualified(schema, table)};");

    /// <summary>A nonclustered index drop is a metadata change (a short Sch-M lock); SQL Server has no
    /// partition-by-partition form to choose.</summary>
    public PlannedStatement DropIndex(string schema, string table, string index, bool partitioned) =>
        new($"DROP INDEX IF EXISTS {Quote(index)} ON {Qualified(schema, table)};");

    /// <summary>A default is a constraint on SQL Server: the column's current one (its name is not
    /// known offline) is dropped first, then the new one added with a name Migrator makes.</summary>
    public PlannedStatement SetDefault(string schema, string table, string column, string defaultSql) =>
        new(DropDefaultSql(schema, table, column) + "\n" +
            $"ALTER TABLE {Qualified(schema, table)} ADD CONSTRAINT {Quote(ShortenName($"DF_{table}_{column}"))} DEFAULT ({defaultSql}) FOR {Quote(column)};");

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
    public PlannedStatement CreateIndexOnline(string schema, string table, string index, IReadOnlyList<string> columns, bool unique, string? where = null)
    {
        string create = $"CREATE {(unique ? "UNIQUE " : "")}INDEX {Quote(index)} ON {Qualified(schema, table)} ({string.Join(", ", columns.Select(Quote))}){(where is null ? "" : $" WHERE {where}")}";
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

    /// <summary>Plain columns, optionally filtered (WHERE); an expression or an access method is PostgreSQL's.</summary>
    public bool Supports(IndexSpec index) => index.Method is null && !index.Columns.Any(c => c.Contains('(', StringComparison.Ordinal));

    /// <summary>SQL Server has no partitioned tables in Migrator's model (a baseline of it reads none).</summary>
    public IReadOnlyList<PlannedStatement> CreateIndex(IndexSpec index, TableModel table) => Supports(index)
        ? [CreateIndexOnline(index.Schema, index.Table, index.Name, index.Columns, index.Unique, index.Where)]
        : throw new MigratorException(ExitCodes.BadInput, $"index {index.Name}: an expression or an access method has no SQL Server form");

    public IReadOnlyList<PlannedStatement> DropIndex(IndexSpec index, TableModel? table) =>
        [DropIndex(index.Schema, index.Table, index.Name, partitioned: false).Guarded(OwnedObject.Relation(index.Schema, index.Name))];

    /// <summary>AFTER triggers run once the row's constraints have been checked: a column they fill
    /// is proven NOT NULL in the contract only.</summary>
    public bool TriggersFillBeforeChecks => false;

    /// <summary>Names Migrator makes stay within 128 characters, with 8 hex digits of the full name's
    /// SHA-256 when they had to be shortened.</summary>
    public string ShortenName(string name)
    {
        if (Fits(name))
        {
            return name;
        }

        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(MaxIdentifierLength - 9)] + "_" + hash;
    }

    public string Cast(string expression, string type) => $"CAST({expression} AS {type})";

    public string TextLength(string expression) => $"LEN({expression})";

    public string FirstRow(string fromWhere) => $"SELECT TOP (1) 1 FROM {fromWhere}";

    public string Breaks(string condition) => $"NOT ({condition})";

    /// <summary>WITH NOCHECK: new writes are checked, the rows already there are not (metadata only).</summary>
    public PlannedStatement AddCheck(string schema, string table, string name, string condition) =>
        new($"ALTER TABLE {Qualified(schema, table)} WITH NOCHECK ADD CONSTRAINT {Quote(name)} CHECK ({condition});");

    /// <summary>WITH CHECK CHECK CONSTRAINT scans the rows and marks the constraint trusted.</summary>
    public PlannedStatement ValidateConstraint(string schema, string table, string name) =>
        new($"ALTER TABLE {Qualified(schema, table)} WITH CHECK CHECK CONSTRAINT {Quote(name)};");

    public PlannedStatement DropConstraint(string schema, string table, string name) =>
        new($"ALTER TABLE {Qualified(schema, table)} DROP CONSTRAINT IF EXISTS {Quote(name)};");

    /// <summary>Nothing: the trusted CHECK is the NOT NULL guarantee (see <see cref="ProveNotNull"/>).</summary>
    public IReadOnlyList<PlannedStatement> SetNotNullProven(string schema, string table, string column, string check) => [];

    /// <summary>ALTER COLUMN … NULL with the column's own type (from FluentMigrator's SQL Server type
    /// map): a metadata change.</summary>
    public PlannedStatement DropNotNull(string schema, string table, ColumnModel column, bool filledByTrigger = false) =>
        new($"ALTER TABLE {Qualified(schema, table)} ALTER COLUMN {Quote(column.Name)} {TypeOf(column.Definition)} NULL{(filledByTrigger ? " " + TSqlDdlReader.FilledByTrigger : "")};");

    /// <summary>A column's type as SQL Server spells it: its own text when the model has one (a baseline
    /// or an operation gave it), else FluentMigrator's SQL Server type map.</summary>
    private static string TypeOf(FluentMigrator.Model.ColumnDefinition definition) =>
        !string.IsNullOrWhiteSpace(definition.CustomType) ? definition.CustomType
        : definition.Type is { } type ? TypeMap.GetTypeMap(type, definition.Size, definition.Precision)
        : throw new MigratorException(ExitCodes.BadInput, $"column {definition.Name} has no type Migrator can write for SQL Server");

    private static readonly FluentMigrator.Runner.Generators.SqlServer.SqlServer2008TypeMap TypeMap = new();

    /// <summary>WITH NOCHECK unless <paramref name="validated"/>: the rows already there are proven later
    /// by <see cref="ValidateConstraint"/>.</summary>
    public PlannedStatement AddForeignKey(string schema, string table, ForeignKeySpec key, bool validated) =>
        new($"ALTER TABLE {Qualified(schema, table)} WITH {(validated ? "CHECK" : "NOCHECK")} ADD CONSTRAINT {Quote(key.Name)} FOREIGN KEY ({string.Join(", ", key.Columns.Select(Quote))}) " +
            $"REFERENCES {Qualified(key.ReferencedSchema, key.ReferencedTable)} ({string.Join(", ", key.ReferencedColumns.Select(Quote))}) ON DELETE {key.OnDelete};");

    /// <summary>The constraint's index built ONLINE where the edition allows it (a UNIQUE constraint
    /// cannot adopt an index built beforehand on SQL Server).</summary>
    public IReadOnlyList<PlannedStatement> AddUnique(string schema, string table, string name, IReadOnlyList<string> columns)
    {
        string add = $"ALTER TABLE {Qualified(schema, table)} ADD CONSTRAINT {Quote(name)} UNIQUE ({string.Join(", ", columns.Select(Quote))})";
        return [PlannedStatement.Alone(OnlineIndexes ? add + " WITH (ONLINE = ON);" : add + ";")];
    }

    public IReadOnlyList<PlannedStatement> DropUnique(string schema, string table, string name) =>
        [DropConstraint(schema, table, name).Guarded(OwnedObject.Constraint(schema, table, name))];

    public TriggerStatements ColumnSync(ColumnSync sync) => SqlServerRowTriggers.Sync(this, sync);

    public TriggerStatements ColumnFill(ColumnFill fill) => SqlServerRowTriggers.Fill(this, fill);

    /// <summary>
    /// sp_rename the old column aside and the new one into its place, drop the old column's default
    /// constraint and Migrator's own NOT NULL checks on it (SQL Server refuses to drop a column that has
    /// either) and the old column, refresh the
    /// views that are not schema-bound over the table (their metadata names columns), and give the
    /// column its final name. The change's own checks on the old column (<paramref name="ownChecks"/>)
    /// are dropped first. A schema-bound view, an index or a user's CHECK on the old column makes
    /// sp_rename or DROP COLUMN fail: the transaction rolls back whole and nothing is lost
    /// (docs/sqlserver.md).
    /// </summary>
    public ColumnReplacement ReplaceColumn(string schema, string table, string old, string physical, string final, IReadOnlyList<string> ownChecks)
    {
        string aside = ShortenName($"migrator_old_{old}");
        var steps = new List<PlannedStatement>(ownChecks.Select(c => DropConstraint(schema, table, c)))
        {
            RenameColumn(schema, table, old, aside),
            RenameColumn(schema, table, physical, old),
            DropColumnWithDefault(schema, table, aside),
            new(RefreshViewsSql(schema, table)),
        };
        if (final != old)
        {
            steps.Add(RenameColumn(schema, table, old, final));
        }

        return new ColumnReplacement(null, steps, []);
    }

    private string RefreshViewsSql(string schema, string table) => $"""
        DECLARE @view nvarchar(776);
        DECLARE migrator_views CURSOR LOCAL FAST_FORWARD FOR
            SELECT QUOTENAME(OBJECT_SCHEMA_NAME(dep.referencing_id)) + N'.' + QUOTENAME(OBJECT_NAME(dep.referencing_id))
            FROM sys.sql_expression_dependencies AS dep
            JOIN sys.views AS v ON v.object_id = dep.referencing_id
            WHERE dep.referenced_id = OBJECT_ID({Literal(Qualified(schema, table))}) AND OBJECTPROPERTY(dep.referencing_id, 'IsSchemaBound') = 0;
        OPEN migrator_views;
        FETCH NEXT FROM migrator_views INTO @view;
        WHILE @@FETCH_STATUS = 0
        BEGIN
            EXEC sp_refreshview @view;
            FETCH NEXT FROM migrator_views INTO @view;
        END;
        CLOSE migrator_views;
        DEALLOCATE migrator_views;
        """;

    /// <summary>The classic pair (one new column mirrors one old), as a <see cref="ColumnSync"/>: the
    /// expressions read the key and their own column.</summary>
    public SyncTriggerSql SyncTrigger(SyncColumns columns)
    {
        var trigger = ColumnSync(new ColumnSync(columns.ChangeId, columns.Schema, columns.Table, columns.NewColumn, columns.Key,
            [new SyncAssignment(columns.NewColumn, columns.Up)], [new SyncAssignment(columns.OldColumn, columns.Down)])
        {
            OldShape = [.. columns.Key, columns.OldColumn],
            NewShape = [.. columns.Key.Select(k => (k, k)), (columns.NewColumn, columns.NewColumn)],
        });
        return new SyncTriggerSql([.. trigger.Create.Select(s => s.Sql)], [.. trigger.Drop.Select(s => s.Sql)], ShortenName($"migrator_sync_{columns.ChangeId}_{columns.NewColumn}"));
    }

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
