using FluentMigrator.Expressions;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Drops a column once no live version reads it. The new version no longer knows the column, so
/// expand makes sure its inserts keep the old version's reads right: with <paramref name="down"/>, a
/// trigger fills the column from that expression over the row whenever a write leaves it NULL (needed
/// when the column is NOT NULL with no default, where an insert from the new version would fail).
/// Contract drops the trigger and the column. Rollback drops the trigger.
/// </summary>
public sealed class DropColumn(string schema, string table, string column, string? down = null) : IOperation
{
    /// <summary>Without a down expression the drop is one FluentMigrator expression, which every
    /// dialect renders; with one, the fill trigger is PostgreSQL's.</summary>
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"drop column {schema}.{table}.{column}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        var old = model.GetColumn(column);
        if (old.Definition.IsPrimaryKey)
        {
            throw BadInput($"{schema}.{table}.{column} is the primary key and cannot be dropped");
        }

        if (down is null)
        {
            return !old.IsNullable && !old.HasDefault
                ? throw BadInput($"drop column {schema}.{table}.{column}: it is NOT NULL with no default, so inserts from the new version would fail; give a down expression that fills it")
                : [];
        }

        if (MadeNullable(context))
        {
            // The fill trigger runs after the row's checks (SQL Server): the new version's inserts,
            // which leave the column out, would fail NOT NULL before it fills them. The column lets
            // NULL in for the window; the rollback proves it NOT NULL again.
            return [context.Dialect.DropNotNull(schema, table, old, filledByTrigger: true), .. Fill(context, schema, table, column, down!).Create];
        }

        return Fill(context, schema, table, column, down!).Create;
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
    [
        .. down is null ? [] : Fill(context, schema, table, column, down!).Drop,
        .. context.Dialect.Generate(new DeleteColumnExpression { SchemaName = schema, TableName = table, ColumnNames = [column] }),
    ];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        if (down is null)
        {
            return [];
        }

        var drop = Fill(context, schema, table, column, down!).Drop;
        if (!MadeNullable(context))
        {
            return drop;
        }

        var (prove, set) = NotNull(context, schema, table, column);
        return [.. drop, Boundary, .. prove, .. set];
    }

    /// <summary>Whether the expand lets the column hold NULL so that a fill trigger running after the
    /// checks can fill it (a NOT NULL column with no default: with one, the new version's inserts get
    /// the default and never reach the trigger as NULL).</summary>
    private bool MadeNullable(OperationContext context) =>
        down is not null && !context.Dialect.TriggersFillBeforeChecks
        && context.Schema.GetTable(schema, table).GetColumn(column) is { IsNullable: false, HasDefault: false };

    public void ApplyTo(SchemaModel model) => model.GetTable(schema, table).RemoveColumn(column);
}
