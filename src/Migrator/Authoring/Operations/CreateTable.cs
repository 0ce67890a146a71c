using FluentMigrator.Builders.Create.Table;
using FluentMigrator.Expressions;
using FluentMigrator.Infrastructure;
using FluentMigrator.Model;
using Microsoft.Extensions.DependencyInjection;
using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Creates a table, its columns written with FluentMigrator's column syntax. Expand: CREATE TABLE (and
/// what the column syntax adds: indexes, foreign keys), a new table no live version knows; nothing to
/// contract. Rollback: DROP TABLE IF EXISTS.
/// </summary>
public sealed class CreateTable : IOperation
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();
    private readonly string _schema;
    private readonly string _table;
    private readonly CreateTableExpression _expression;
    private readonly IReadOnlyList<IMigrationExpression> _extra;

    public CreateTable(string schema, string table, Action<ICreateTableWithColumnSyntax> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _schema = schema;
        _table = table;
        _expression = new CreateTableExpression { SchemaName = schema, TableName = table };
        var context = new MigrationContext(null, Services, null);
        columns(new CreateTableExpressionBuilder(_expression, context));
        _extra = [.. context.Expressions];
    }

    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"create table {_schema}.{_table} ({string.Join(", ", _expression.Columns.Select(c => c.Name))})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(_schema, _table)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        if (context.Schema.FindTable(_schema, _table) is not null)
        {
            throw BadInput($"table {_schema}.{_table} already exists");
        }

        if (_expression.Columns.Count == 0)
        {
            throw BadInput($"table {_schema}.{_table} has no columns");
        }

        return [.. context.Dialect.Generate(Copy()), .. _extra.SelectMany(context.Dialect.Generate)];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
        [context.Dialect.DropTable(_schema, _table).Guarded(OwnedObject.Relation(_schema, _table))];

    public void ApplyTo(SchemaModel model) => model.Apply(Copy());

    // Generators may change what they are given (conventions fill in names): hand each a copy.
    private CreateTableExpression Copy() => new()
    {
        SchemaName = _schema,
        TableName = _table,
        TableDescription = _expression.TableDescription,
        Columns = [.. _expression.Columns.Select(c => (ColumnDefinition)c.Clone())],
    };
}
