using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Adds a UNIQUE constraint without blocking writes: expand builds the unique index CONCURRENTLY (its
/// own step, outside a transaction; a failed build's INVALID index is dropped before the error is
/// reported), then attaches it with ADD CONSTRAINT … UNIQUE USING INDEX (a catalog change under a brief
/// lock). Nothing to contract. Rollback drops the constraint and the index.
/// On a partitioned table (from the baseline) PostgreSQL has no ADD CONSTRAINT … USING INDEX, and
/// ADD CONSTRAINT … UNIQUE builds every partition's index under a lock: the uniqueness is a unique
/// index instead, built as <see cref="CreateIndex"/> builds one there (each partition concurrently,
/// then attached). It enforces the same; ON CONFLICT names its columns rather than the constraint.
/// </summary>
public sealed class AddUniqueConstraint(string schema, string table, string name, IReadOnlyList<string> columns) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"add unique {name} on {schema}.{table} ({string.Join(", ", columns)})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [.. columns.Select(c => new SchemaTarget(schema, table, c))];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        foreach (string column in columns)
        {
            model.GetColumn(column);
        }

        if (model.IsPartitioned)
        {
            return AsIndex().Expand(context);
        }

        return context.Dialect.AddUnique(schema, table, name, columns);
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    private CreateIndex AsIndex() => new(schema, table, name, columns, unique: true);

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => context.Schema.FindTable(schema, table)?.IsPartitioned == true
        ? AsIndex().Rollback(context)
        : context.Dialect.DropUnique(schema, table, name);

    public void ApplyTo(SchemaModel model)
    {
    }
}
