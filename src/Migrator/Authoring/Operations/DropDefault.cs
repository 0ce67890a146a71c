using FluentMigrator.Model;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Drops a column's default. The old version may rely on it (an insert that omits a NOT NULL column
/// would fail without it), so it is dropped at contract, once that version is retired. Nothing to
/// expand or roll back.
/// </summary>
public sealed class DropDefault(string schema, string table, string column) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"drop default of {schema}.{table}.{column}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table).GetColumn(column);
        return [];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [context.Dialect.DropDefault(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => [];

    public void ApplyTo(SchemaModel model) =>
        model.GetTable(schema, table).GetColumn(column).Definition.DefaultValue = new ColumnDefinition.UndefinedDefaultValue();
}
