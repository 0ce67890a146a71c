using FluentMigrator.Expressions;
using Migrator.Schema;

namespace Migrator.Dialects;

/// <summary>
/// Everything that differs between database engines, behind one interface: names, DDL, the sync
/// trigger, the keyset backfill batch, online index builds, how NOT NULL is proven, the ledger's
/// tables and lock, and lock timeouts. Operations say what they want (a column added, a trigger that
/// keeps two columns in step, a batch of rows filled); the dialect writes the SQL.
/// </summary>
public interface ISqlDialect
{
    /// <summary>The provider name in migrator.json: <c>postgres</c> or <c>sqlserver</c>.</summary>
    string Provider { get; }

    /// <summary>Schema that holds the ledger and Migrator's own functions and triggers.</summary>
    string LedgerSchema { get; }

    /// <summary>The schema a table without one lives in (public, dbo).</summary>
    string DefaultSchema { get; }

    /// <summary>The longest identifier the engine keeps whole (PostgreSQL: 63 bytes of UTF-8; SQL
    /// Server: 128 characters).</summary>
    int MaxIdentifierLength { get; }

    /// <summary>Whether <paramref name="name"/> fits <see cref="MaxIdentifierLength"/>.</summary>
    bool Fits(string name);

    /// <summary>A name quoted for the engine, any character allowed.</summary>
    string Quote(string name);

    /// <summary>schema.name, both quoted.</summary>
    string Qualified(string schema, string name);

    /// <summary>A string literal.</summary>
    string Literal(string text);

    /// <summary>One FluentMigrator expression as the statements that carry it out.</summary>
    IReadOnlyList<PlannedStatement> Generate(IMigrationExpression expression);

    /// <summary>Raw SQL as a planned statement: marked to run alone where the engine refuses it inside
    /// a transaction (PostgreSQL's CONCURRENTLY builds).</summary>
    PlannedStatement Classify(string sql);

    /// <summary>A user's raw SQL script (Execute.Sql, Sql(…)) as the statements to plan: where a statement
    /// must run alone (PostgreSQL's CONCURRENTLY), it becomes its own step, and the statements around it
    /// keep their transactions. Transaction control in the script is refused (exit 2): Migrator owns the
    /// transactions, and what plan shows must be what runs.</summary>
    IReadOnlyList<PlannedStatement> ClassifyScript(string sql);

    /// <summary>What each statement of a SQL text does, as the hazard rules read it (`lint` and the
    /// checker), each effect at its statement's offset in the text; null when the dialect has no SQL reader yet.</summary>
    IReadOnlyList<Analyzers.Sql.DdlEffect>? ReadStatements(string sql);

    /// <summary>Whether a function of the engine is volatile (null: the engine does not define it).</summary>
    bool? IsVolatile(string function);

    /// <summary>Drops a table if it is there.</summary>
    PlannedStatement DropTable(string schema, string table);

    /// <summary>Drops an index if it is there, without blocking writes where the engine can.</summary>
    PlannedStatement DropIndex(string schema, string table, string index, bool partitioned);

    /// <summary>Gives a column a default (<paramref name="defaultSql"/> is SQL of the engine).</summary>
    PlannedStatement SetDefault(string schema, string table, string column, string defaultSql);

    /// <summary>Removes a column's default, if it has one.</summary>
    PlannedStatement DropDefault(string schema, string table, string column);

    /// <summary>Renames a table; with <paramref name="ifExists"/>, nothing when it is not there.</summary>
    PlannedStatement RenameTable(string schema, string table, string newName, bool ifExists);

    /// <summary>A view named <paramref name="view"/> showing every column of <paramref name="table"/>:
    /// simple enough that inserts, updates and deletes through it reach the table.</summary>
    PlannedStatement CreatePassThroughView(string schema, string view, string table);

    /// <summary>Drops a view if it is there.</summary>
    PlannedStatement DropView(string schema, string view);

    /// <summary>Adds a nullable column with no default (the expand of every column the engine fills).</summary>
    PlannedStatement AddColumn(string schema, string table, string column, string type);

    /// <summary>Drops a column.</summary>
    PlannedStatement DropColumn(string schema, string table, string column);

    /// <summary>Renames a column in place.</summary>
    PlannedStatement RenameColumn(string schema, string table, string column, string newName);

    /// <summary>Builds an index without blocking writes where the engine can.</summary>
    PlannedStatement CreateIndexOnline(string schema, string table, string index, IReadOnlyList<string> columns, bool unique, string? where = null);

    /// <summary>Whether the engine can build <paramref name="index"/> (SQL Server: no expression, no access method).</summary>
    bool Supports(IndexSpec index);

    /// <summary>Builds an index without blocking writes where the engine can, partition by partition
    /// where <paramref name="table"/> is partitioned.</summary>
    IReadOnlyList<PlannedStatement> CreateIndex(IndexSpec index, TableModel table);

    /// <summary>Drops what <see cref="CreateIndex"/> made, each statement safe on a partial expand.</summary>
    IReadOnlyList<PlannedStatement> DropIndex(IndexSpec index, TableModel? table);

    /// <summary>The steps that make <paramref name="column"/> NOT NULL without a long lock: each inner
    /// list is one transaction, in order.</summary>
    IReadOnlyList<IReadOnlyList<PlannedStatement>> ProveNotNull(string schema, string table, string column, string type, string constraint);

    /// <summary>Whether a row trigger can fill a column before the row's NOT NULL and CHECK constraints
    /// are checked (PostgreSQL's BEFORE triggers). Where it cannot (SQL Server's AFTER triggers), a
    /// column a trigger fills is proven NOT NULL only in the contract, once no version leaves it NULL.</summary>
    bool TriggersFillBeforeChecks { get; }

    /// <summary>A name Migrator makes, shortened to fit the engine's limit (with a hash of the whole
    /// name where it had to be cut).</summary>
    string ShortenName(string name);

    /// <summary><paramref name="expression"/> converted to <paramref name="type"/>.</summary>
    string Cast(string expression, string type);

    /// <summary>The length in characters of a text expression.</summary>
    string TextLength(string expression);

    /// <summary>A query that returns a row when <paramref name="fromWhere"/> (a FROM list and its WHERE)
    /// matches at least one row, reading no further.</summary>
    string FirstRow(string fromWhere);

    /// <summary>A predicate true for the rows that break CHECK (<paramref name="condition"/>): false,
    /// not unknown (a CHECK lets NULL through).</summary>
    string Breaks(string condition);

    /// <summary>Adds a CHECK constraint that new writes must meet, without scanning the rows already
    /// there (proven later by <see cref="ValidateConstraint"/>).</summary>
    PlannedStatement AddCheck(string schema, string table, string name, string condition);

    /// <summary>Proves a constraint added unchecked on every row (a scan that lets writes go on).</summary>
    PlannedStatement ValidateConstraint(string schema, string table, string name);

    /// <summary>Drops a constraint if it is there.</summary>
    PlannedStatement DropConstraint(string schema, string table, string name);

    /// <summary>What follows a validated NOT NULL check in the contract's last transaction: PostgreSQL
    /// sets NOT NULL (no scan, thanks to the check) and drops the check; SQL Server keeps the trusted
    /// check as the guarantee and writes nothing.</summary>
    IReadOnlyList<PlannedStatement> SetNotNullProven(string schema, string table, string column, string check);

    /// <summary>Lets a column hold NULL (metadata only on both engines). With
    /// <paramref name="filledByTrigger"/>, only for the window of a change whose trigger fills the column
    /// in the same statement (where triggers run after the checks): no reader ever sees a NULL there, and
    /// the statement says so to the hazard rules and the checker.</summary>
    PlannedStatement DropNotNull(string schema, string table, ColumnModel column, bool filledByTrigger = false);

    /// <summary>Adds a foreign key; unless <paramref name="validated"/>, without checking the rows
    /// already there (proven later by <see cref="ValidateConstraint"/>).</summary>
    PlannedStatement AddForeignKey(string schema, string table, ForeignKeySpec key, bool validated);

    /// <summary>A UNIQUE constraint built without blocking writes where the engine can.</summary>
    IReadOnlyList<PlannedStatement> AddUnique(string schema, string table, string name, IReadOnlyList<string> columns);

    /// <summary>Removes what <see cref="AddUnique"/> made, each statement safe on a partial expand.</summary>
    IReadOnlyList<PlannedStatement> DropUnique(string schema, string table, string name);

    /// <summary>The trigger that keeps a rewrite's old and new columns in step (<see cref="Dialects.ColumnSync"/>).</summary>
    TriggerStatements ColumnSync(ColumnSync sync);

    /// <summary>The trigger that fills a column a write leaves NULL (<see cref="Dialects.ColumnFill"/>).</summary>
    TriggerStatements ColumnFill(ColumnFill fill);

    /// <summary>The contract of a one-for-one rewrite: <paramref name="physical"/> (the new column,
    /// under its window name) takes <paramref name="old"/>'s place, then the name <paramref name="final"/>;
    /// the views and constraints that read the old column follow where the engine allows.
    /// <paramref name="ownChecks"/> are checks the change itself put on the old column: where the engine
    /// does not carry checks over (SQL Server), they are dropped first.</summary>
    ColumnReplacement ReplaceColumn(string schema, string table, string old, string physical, string final, IReadOnlyList<string> ownChecks);

    /// <summary>The trigger (and its function, where the engine needs one) that keeps a new column in
    /// step with an old one while two app versions write (the version-agnostic rule of
    /// docs/operations.md), and the statements that remove it.</summary>
    SyncTriggerSql SyncTrigger(SyncColumns columns);

    /// <summary>One keyset batch of a backfill: fills up to the batch size of rows after the last key,
    /// in key order, and returns the keys it reached.</summary>
    string BackfillBatch(BackfillBatchSpec batch);

    /// <summary>The ledger's tables, created if missing.</summary>
    IReadOnlyList<string> LedgerTables();

    /// <summary>Tries once to take the ledger's lock for the session (one row, one column: 1 or true
    /// when taken); the caller retries with a pause until --lock-wait has passed. The lock is the
    /// session's until the connection closes.</summary>
    string TryLedgerLock(bool shared);

    /// <summary>Bounds how long one DDL statement waits for a lock.</summary>
    string SetLockTimeout(int milliseconds);

    /// <summary>The error a statement fails with when it waited longer than the lock timeout (it is
    /// retried): SQLSTATE 55P03 on PostgreSQL, error 1222 on SQL Server.</summary>
    string LockTimeoutError { get; }
}

/// <summary>Two columns kept in step during a rename or retype: the old version writes
/// <see cref="OldColumn"/>, the new one <see cref="NewColumn"/>; <see cref="Up"/> computes the new
/// value from the old column, <see cref="Down"/> the old from the new.</summary>
public sealed record SyncColumns(
    long ChangeId,
    string Schema,
    string Table,
    IReadOnlyList<string> Key,
    string OldColumn,
    string NewColumn,
    string Up,
    string Down);

/// <summary>The trigger's statements: <see cref="Create"/> in the expand, <see cref="Drop"/> in the
/// contract and the rollback.</summary>
public sealed record SyncTriggerSql(IReadOnlyList<string> Create, IReadOnlyList<string> Drop, string TriggerName);

/// <summary>One backfill batch: <see cref="Set"/> is the assignment, <see cref="Pending"/> the
/// predicate of rows still to fill, <see cref="Key"/> the key columns in order.</summary>
public sealed record BackfillBatchSpec(string Schema, string Table, IReadOnlyList<string> Key, string Set, string Pending, int BatchSize)
{
    /// <summary>The key columns' types, in key order, where the dialect needs them (SQL Server's
    /// variables); null when not known.</summary>
    public IReadOnlyList<string>? KeyTypes { get; init; }
}
