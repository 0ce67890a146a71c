using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Planning;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Drops an index with DROP INDEX CONCURRENTLY at contract (the old version's queries may still need
/// it for speed until it is retired). Nothing to expand or roll back.
/// </summary>
public sealed class DropIndex(string schema, string table, string name) : IOperation
{
    public string Describe() => $"drop index {schema}.{name} (on {table})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table);
        return [];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {PgSql.Qualified(schema, name)};")];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => [];

    public void ApplyTo(SchemaModel model)
    {
    }
}
