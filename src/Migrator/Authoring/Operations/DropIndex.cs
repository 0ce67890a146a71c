using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Drops an index with DROP INDEX CONCURRENTLY at contract (the old version's queries may still need
/// it for speed until it is retired). Nothing to expand or roll back. PostgreSQL cannot drop a
/// partitioned table's index concurrently: there it is a plain DROP INDEX, which removes the
/// partitions' attached indexes with it under a brief ACCESS EXCLUSIVE lock (no scan; bounded by
/// lock_timeout and retried like every step).
/// </summary>
public sealed class DropIndex(string schema, string table, string name) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"drop index {schema}.{name} (on {table})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table);
        return [];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [context.Dialect.DropIndex(schema, table, name, context.Schema.FindTable(schema, table)?.IsPartitioned == true)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => [];

    public void ApplyTo(SchemaModel model)
    {
    }
}
