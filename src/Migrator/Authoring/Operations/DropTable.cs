using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Drops a table once no live version uses it. Expand changes nothing in the database: the old version
/// still reads and writes the table while it is live, so renaming it aside would break that version
/// (pgroll hides it from the new version through per-version views, which Migrator does not use). The
/// table disappears from the schema model after this change, so the compatibility checker reports
/// any use of it by the new version, and later changes cannot use it. Contract: DROP TABLE.
/// Rollback: nothing to undo.
/// </summary>
public sealed class DropTable(string schema, string table) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"drop table {schema}.{table}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table);
        return [];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [context.Dialect.DropTable(schema, table)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => [];

    public void ApplyTo(SchemaModel model)
    {
        if (model.FindTable(schema, table) is null)
        {
            throw BadInput($"table {schema}.{table} does not exist in the schema");
        }

        model.RemoveTable(schema, table);
    }
}
