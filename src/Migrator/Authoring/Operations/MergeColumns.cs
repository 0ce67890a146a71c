using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Merges several columns into one (first_name, last_name → full_name). <see cref="NewColumn.Up"/>
/// computes the new column from the old row; <paramref name="down"/> gives, for each old column, its
/// value from the new row (for rows the new version writes). Expand adds the new column and a sync
/// trigger, the backfill fills it, contract drops the old columns. Rollback drops the trigger and the
/// new column.
/// </summary>
public sealed class MergeColumns(string schema, string table, IReadOnlyList<string> columns, NewColumn into, IReadOnlyDictionary<string, string> down) : ColumnRewriteOperation
{
    public override string Describe() => $"merge {schema}.{table}.({string.Join(", ", columns)}) into {into.Name}";

    internal override ColumnRewrite Rewrite(SchemaModel model, ISqlDialect? dialect)
    {
        if (columns.Count < 2)
        {
            throw BadInput($"merge into {schema}.{table}.{into.Name} needs at least two columns");
        }

        var missing = columns.Where(c => !down.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw BadInput($"merge into {schema}.{table}.{into.Name} needs a down expression for {string.Join(", ", missing)}");
        }

        return new ColumnRewrite(
            schema,
            table,
            columns,
            [new RewrittenColumn(Column(table, into.Name, into.Type, into.Nullable), into.Up)],
            [.. columns.Select(c => new SyncAssignment(c, down[c]))],
            into.Name);
    }
}
