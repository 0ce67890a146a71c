using FluentMigrator;
using Migrator.Authoring.Operations;
using Migrator.Backfill;

namespace Migrator.Authoring;

/// <summary>
/// Base class of a schema change. Write the expand and contract phases with FluentMigrator's
/// fluent API (<c>Create</c>, <c>Alter</c>, <c>Delete</c>, <c>Execute</c> …), describe the backfill
/// declaratively with <see cref="Backfill"/>, or use a high-level operation such as
/// <see cref="RenameColumn"/> that produces all three phases itself.
/// Mark the class with <see cref="ChangeAttribute"/>.
/// </summary>
public abstract class Change : Migration
{
    private readonly List<IOperation> _operations = [];
    private Phase? _collecting;

    /// <summary>The additive, backward-compatible part. Runs before the new app version is deployed.</summary>
    protected virtual void Expand()
    {
    }

    /// <summary>The destructive part. Runs once no live app version needs the old shape.</summary>
    protected virtual void Contract()
    {
    }

    /// <summary>Rows to copy or transform between expand and contract, or null for none.</summary>
    public virtual BackfillSpec? Backfill => null;

    /// <summary>
    /// Declares a high-level operation. Call it from the constructor: the operation produces its own
    /// expand, backfill and contract.
    /// </summary>
    protected void Use(IOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _operations.Add(operation);
    }

    /// <summary>Renames a column safely: new column, sync trigger, backfill, then the old one dropped.</summary>
    protected void RenameColumn(string table, string from, string to, string schema = "public") =>
        Use(new RenameColumn(schema, table, from, to));

    /// <summary>Creates a table; columns with FluentMigrator's syntax (<c>t => t.WithColumn("id").AsInt64().PrimaryKey()</c>).</summary>
    protected void CreateTable(string table, Action<FluentMigrator.Builders.Create.Table.ICreateTableWithColumnSyntax> columns, string schema = "public") =>
        Use(new CreateTable(schema, table, columns));

    /// <summary>Drops a table at contract, once no live version uses it.</summary>
    protected void DropTable(string table, string schema = "public") => Use(new DropTable(schema, table));

    /// <summary>Renames a table; the old name stays as an updatable view until contract.</summary>
    protected void RenameTable(string from, string to, string schema = "public") => Use(new RenameTable(schema, from, to));

    /// <summary>Adds a column (type as PostgreSQL SQL). NOT NULL without a default needs <paramref name="fill"/>.</summary>
    protected void AddColumn(string table, string column, string type, bool nullable = true, string? defaultSql = null, string? fill = null, string schema = "public") =>
        Use(new AddColumn(schema, table, column, type, nullable, defaultSql, fill));

    /// <summary>Drops a column at contract; <paramref name="down"/> fills it for the old version's reads meanwhile.</summary>
    protected void DropColumn(string table, string column, string? down = null, string schema = "public") =>
        Use(new DropColumn(schema, table, column, down));

    /// <summary>Changes a column's type through a shadow column swapped in at contract.</summary>
    protected void ChangeColumnType(string table, string column, string type, string? up = null, string? down = null, string? check = null, string schema = "public") =>
        Use(new ChangeColumnType(schema, table, column, type, up, down, check));

    /// <summary>Makes a column NOT NULL without a long lock; <paramref name="fill"/> replaces NULLs.</summary>
    protected void SetNotNull(string table, string column, string? fill = null, string schema = "public") =>
        Use(new SetNotNull(schema, table, column, fill));

    /// <summary>Makes a column nullable.</summary>
    protected void DropNotNull(string table, string column, string? rollbackFill = null, string schema = "public") =>
        Use(new DropNotNull(schema, table, column, rollbackFill));

    /// <summary>Sets a column's default (SQL) in expand.</summary>
    protected void SetDefault(string table, string column, string defaultSql, string schema = "public") =>
        Use(new SetDefault(schema, table, column, defaultSql));

    /// <summary>Drops a column's default at contract.</summary>
    protected void DropDefault(string table, string column, string schema = "public") => Use(new DropDefault(schema, table, column));

    /// <summary>Adds a UNIQUE constraint through an index built concurrently.</summary>
    protected void AddUnique(string table, string name, string[] columns, string schema = "public") =>
        Use(new AddUniqueConstraint(schema, table, name, columns));

    /// <summary>Adds a foreign key NOT VALID in expand, validated at contract.</summary>
    protected void AddForeignKey(string table, string name, string[] columns, string referencedTable, string[] referencedColumns, string onDelete = "NO ACTION", string schema = "public") =>
        Use(new AddForeignKey(schema, table, name, columns, referencedTable, referencedColumns, onDelete));

    /// <summary>Adds a CHECK constraint NOT VALID in expand, validated at contract.</summary>
    protected void AddCheck(string table, string name, string condition, string[]? columns = null, string schema = "public") =>
        Use(new AddCheckConstraint(schema, table, name, condition, columns));

    /// <summary>Creates an index CONCURRENTLY in expand.</summary>
    protected void CreateIndex(string table, string name, string[] columns, bool unique = false, string? where = null, string schema = "public") =>
        Use(new CreateIndex(schema, table, name, columns, unique, where));

    /// <summary>Drops an index CONCURRENTLY at contract.</summary>
    protected void DropIndex(string table, string name, string schema = "public") => Use(new DropIndex(schema, table, name));

    /// <summary>Splits a column into several, each computed by its own up expression.</summary>
    protected void SplitColumn(string table, string column, NewColumn[] into, string down, string schema = "public") =>
        Use(new SplitColumn(schema, table, column, into, down));

    /// <summary>Merges several columns into one; <paramref name="down"/> gives each old column from the new row.</summary>
    protected void MergeColumns(string table, string[] columns, NewColumn into, IReadOnlyDictionary<string, string> down, string schema = "public") =>
        Use(new MergeColumns(schema, table, columns, into, down));

    /// <summary>Raw SQL in an explicit phase, with a down script for rollback.</summary>
    protected void Sql(Phase phase, string sql, string? down = null, string[]? touches = null, string schema = "public") =>
        Use(new SqlScript(phase, sql, down, schema, touches));

    internal IReadOnlyList<IOperation> Operations => _operations;

    internal void BeginCollecting(Phase phase) => _collecting = phase;

    internal void EndCollecting() => _collecting = null;

    /// <inheritdoc />
    public sealed override void Up()
    {
        switch (_collecting)
        {
            case Phase.Expand:
                Expand();
                break;
            case Phase.Contract:
                Contract();
                break;
            default:
                throw new InvalidOperationException(
                    "A Change is not a FluentMigrator migration: run it with `dotnet migrator`, not the FluentMigrator runner.");
        }
    }

    /// <inheritdoc />
    public sealed override void Down() =>
        throw new InvalidOperationException("A Change is rolled back with `dotnet migrator rollback`, not Down().");
}
