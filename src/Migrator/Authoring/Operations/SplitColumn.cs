using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Splits one column into several (full_name → first_name, last_name). Each new column has its own
/// <see cref="NewColumn.Up"/> expression over the old row; <paramref name="down"/> rebuilds the old
/// column from the new ones for rows the new version writes. Expand adds the new columns and a sync
/// trigger, the backfill fills them, contract drops the old column (after proving NOT NULL on new
/// columns declared NOT NULL). Rollback drops the trigger and the new columns.
/// </summary>
public sealed class SplitColumn(string schema, string table, string column, IReadOnlyList<NewColumn> into, string down) : ColumnRewriteOperation
{
    public override string Describe() => $"split {schema}.{table}.{column} into {string.Join(", ", into.Select(c => c.Name))}";

    internal override ColumnRewrite Rewrite(SchemaModel model, ISqlDialect? dialect)
    {
        if (into.Count < 2)
        {
            throw BadInput($"split of {schema}.{table}.{column} needs at least two new columns");
        }

        return new ColumnRewrite(
            schema,
            table,
            [column],
            [.. into.Select(c => new RewrittenColumn(Column(table, c.Name, c.Type, c.Nullable), c.Up))],
            [new SyncAssignment(column, down)],
            column);
    }
}
