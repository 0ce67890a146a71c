using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Renames a table. Expand, in one short transaction: ALTER TABLE … RENAME TO the new name, and a view
/// under the old name (<c>SELECT * FROM new</c>), which PostgreSQL can update automatically: the old
/// version keeps reading and writing through it, the base table's defaults apply to its inserts.
/// Contract: DROP VIEW. Rollback: drop the view and rename the table back.
/// The view lists the columns the table has at expand time.
/// </summary>
public sealed class RenameTable(string schema, string from, string to) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"rename table {schema}.{from} to {to}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, from), new(schema, to)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, from);
        if (context.Schema.FindTable(schema, to) is not null)
        {
            throw BadInput($"cannot rename {schema}.{from}: table {schema}.{to} already exists");
        }

        return
        [
            context.Dialect.RenameTable(schema, from, to, ifExists: false),
            context.Dialect.CreatePassThroughView(schema, from, to),
        ];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [context.Dialect.DropView(schema, from)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
    [
        context.Dialect.DropView(schema, from).Guarded(OwnedObject.Relation(schema, from)),
        context.Dialect.RenameTable(schema, to, from, ifExists: true).Guarded(OwnedObject.Relation(schema, to)),
    ];

    public void ApplyTo(SchemaModel model) => model.RenameTable(schema, from, to);
}
