using FluentMigrator;
using FluentMigrator.Model;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Sets a column's default (SQL, e.g. <c>'new'</c> or <c>now()</c>). Expand: ALTER COLUMN SET DEFAULT,
/// a catalog change that affects only rows inserted from then on; both versions keep working (one
/// that omits the column now gets the default). Nothing to contract. Rollback restores the previous
/// default, or drops it if there was none.
/// </summary>
public sealed class SetDefault(string schema, string table, string column, string defaultSql) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"set default of {schema}.{table}.{column} to {defaultSql}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table).GetColumn(column);
        return [context.Dialect.SetDefault(schema, table, column, defaultSql)];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var old = context.Schema.GetTable(schema, table).GetColumn(column);
        if (!old.HasDefault)
        {
            return [context.Dialect.DropDefault(schema, table, column)];
        }

        return context.Dialect.Generate(new FluentMigrator.Expressions.AlterDefaultConstraintExpression
        {
            SchemaName = schema,
            TableName = table,
            ColumnName = column,
            DefaultValue = old.Definition.DefaultValue,
        });
    }

    public void ApplyTo(SchemaModel model) =>
        model.GetTable(schema, table).GetColumn(column).Definition.DefaultValue = RawSql.Insert(defaultSql);
}
