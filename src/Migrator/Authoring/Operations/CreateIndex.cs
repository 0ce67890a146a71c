using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Creates an index with CREATE INDEX CONCURRENTLY in expand (its own step, outside a transaction,
/// SHARE UPDATE EXCLUSIVE: reads and writes go on; a failed build's INVALID index is dropped before
/// the error is reported, and a re-run builds it again). Nothing to contract. Rollback: DROP INDEX
/// CONCURRENTLY IF EXISTS.
/// </summary>
public sealed class CreateIndex(string schema, string table, string name, IReadOnlyList<string> columns, bool unique = false, string? where = null, string? method = null) : IOperation
{
    private IndexSpec Spec => new(schema, table, name, columns, unique, where, method);

    /// <summary>An expression or an access method is PostgreSQL's; plain columns and a WHERE (a
    /// filtered index) exist on SQL Server too.</summary>
    public bool Supports(ISqlDialect dialect) => dialect.Supports(Spec);

    public string Describe() => $"create {(unique ? "unique " : "")}index {name} on {schema}.{table} ({string.Join(", ", columns)})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        // Columns an earlier operation of this change adds are not in the model yet, but exist when
        // this index is built (its own step, after theirs).
        var model = context.Schema.GetTable(schema, table);
        foreach (string column in columns.Where(c => !c.Contains('(', StringComparison.Ordinal) && !context.AddedColumns.Contains((schema, table, c))))
        {
            model.GetColumn(column);
        }

        return context.Dialect.CreateIndex(Spec, model);
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
        context.Dialect.DropIndex(Spec, context.Schema.FindTable(schema, table));

    public void ApplyTo(SchemaModel model)
    {
    }
}
