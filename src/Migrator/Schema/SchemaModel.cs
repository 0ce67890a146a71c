using FluentMigrator;
using FluentMigrator.Expressions;
using FluentMigrator.Model;
using Migrator.Schema;

namespace Migrator.Schema;

/// <summary>
/// An in-memory picture of the database schema: built by replaying changes (no database needed) or
/// read from a live database. Operations read it to generate SQL; the planner replays changes on it.
/// </summary>
public sealed class SchemaModel(string defaultSchema = "public")
{
    private readonly Dictionary<(string Schema, string Table), TableModel> _tables = [];

    /// <summary>Where a FluentMigrator expression without a schema puts its table: the engine's default
    /// (public on PostgreSQL, dbo on SQL Server), as the engine's own generator does.</summary>
    public string DefaultSchema { get; } = defaultSchema;

    public IEnumerable<TableModel> Tables => _tables.Values;

    public TableModel? FindTable(string schema, string table) =>
        _tables.GetValueOrDefault((schema, table));

    public TableModel GetTable(string schema, string table) => FindTable(schema, table)
        ?? throw new MigratorException(ExitCodes.BadInput, $"table {schema}.{table} does not exist in the schema"
            + (schema == "public" && DefaultSchema != "public" && FindTable(DefaultSchema, table) is not null
                ? $" (it is {DefaultSchema}.{table}: an operation's schema defaults to PostgreSQL's public; pass schema: \"{DefaultSchema}\")"
                : ""));

    /// <summary>
    /// The model of an adopted database: its tables (partitions hang under their parent, they are not
    /// tables of their own here) with columns in their exact server types, defaults as SQL, primary keys
    /// in the key's own order. Changes are then replayed on top of it.
    /// </summary>
    public static SchemaModel FromBaseline(DatabaseSchema baseline)
    {
        var model = new SchemaModel();
        var partitions = baseline.Tables.Where(t => t.PartitionOf is not null).ToLookup(t => t.PartitionOf!, StringComparer.Ordinal);
        foreach (var table in baseline.Tables.Where(t => t.PartitionOf is null))
        {
            var target = model.AddTable(table.Schema, table.Name);
            var key = table.PrimaryKey?.Columns ?? [];
            foreach (var column in table.Columns)
            {
                target.AddColumn(new ColumnModel(new ColumnDefinition
                {
                    Name = column.Name,
                    TableName = table.Name,
                    CustomType = column.Type,
                    IsNullable = !column.NotNull,
                    IsPrimaryKey = key.Contains(column.Name),
                    IsIdentity = column.Identity is not null,
                    DefaultValue = column.Default is null ? new ColumnDefinition.UndefinedDefaultValue() : RawSql.Insert(column.Default),
                    ModificationType = ColumnModificationType.Create,
                }));
            }

            target.KeyColumns = key;
            target.IsPartitioned = table.Kind == "partitioned";
            target.Partitions = Tree(table.Qualified);
        }

        return model;

        IReadOnlyList<PartitionNode> Tree(string parent) =>
            [.. partitions[parent].Select(p => new PartitionNode(p.Schema, p.Name, Tree(p.Qualified)))];
    }

    public TableModel AddTable(string schema, string table)
    {
        var model = new TableModel(schema, table);
        _tables[(schema, table)] = model;
        return model;
    }

    /// <summary>Applies what a FluentMigrator expression does to the tables and columns it touches.
    /// Expressions that change neither (indexes, data, raw SQL) leave the model as it is.</summary>
    public void Apply(IMigrationExpression expression)
    {
        switch (expression)
        {
            case CreateTableExpression e:
                if (FindTable(SchemaOf(e.SchemaName), e.TableName) is not null)
                {
                    throw new MigratorException(ExitCodes.BadInput, $"table {SchemaOf(e.SchemaName)}.{e.TableName} already exists in the schema (an earlier change or the baseline made it)");
                }

                var table = AddTable(SchemaOf(e.SchemaName), e.TableName);
                foreach (var column in e.Columns)
                {
                    table.AddColumn(new ColumnModel((ColumnDefinition)column.Clone()));
                }

                break;
            case CreateColumnExpression e:
                GetTable(SchemaOf(e.SchemaName), e.TableName).AddColumn(new ColumnModel((ColumnDefinition)e.Column.Clone()));
                break;
            case AlterColumnExpression e:
                GetTable(SchemaOf(e.SchemaName), e.TableName).AddColumn(new ColumnModel((ColumnDefinition)e.Column.Clone()));
                break;
            case DeleteColumnExpression e:
                var target = GetTable(SchemaOf(e.SchemaName), e.TableName);
                foreach (var name in e.ColumnNames)
                {
                    target.RemoveColumn(name);
                }

                break;
            case DeleteTableExpression e:
                _tables.Remove((SchemaOf(e.SchemaName), e.TableName));
                break;
            case RenameTableExpression e:
                RenameTable(SchemaOf(e.SchemaName), e.OldName, e.NewName);
                break;
            case RenameColumnExpression e:
                RenameColumn(SchemaOf(e.SchemaName), e.TableName, e.OldName, e.NewName);
                break;
        }
    }

    public void RenameTable(string schema, string from, string to)
    {
        var renamed = GetTable(schema, from);
        _tables.Remove((schema, from));
        renamed.Name = to;
        _tables[(schema, to)] = renamed;
    }

    public void RemoveTable(string schema, string table) => _tables.Remove((schema, table));

    public void RenameColumn(string schema, string table, string from, string to)
    {
        var model = GetTable(schema, table);
        var column = model.GetColumn(from);
        var definition = (ColumnDefinition)column.Definition.Clone();
        definition.Name = to;
        model.RemoveColumn(from);
        model.AddColumn(new ColumnModel(definition));
    }

    private string SchemaOf(string? schema) => string.IsNullOrEmpty(schema) ? DefaultSchema : schema;
}
