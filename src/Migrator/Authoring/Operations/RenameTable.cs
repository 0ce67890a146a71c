using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
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
            new PlannedStatement($"ALTER TABLE {PgSql.Qualified(schema, from)} RENAME TO {PgSql.Ident(to)};"),
            new PlannedStatement($"CREATE VIEW {PgSql.Qualified(schema, from)} AS SELECT * FROM {PgSql.Qualified(schema, to)};"),
        ];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [new PlannedStatement($"DROP VIEW IF EXISTS {PgSql.Qualified(schema, from)};")];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
    [
        new PlannedStatement($"DROP VIEW IF EXISTS {PgSql.Qualified(schema, from)};").Guarded(OwnedObject.Relation(schema, from)),
        new PlannedStatement($"ALTER TABLE IF EXISTS {PgSql.Qualified(schema, to)} RENAME TO {PgSql.Ident(from)};").Guarded(OwnedObject.Relation(schema, to)),
    ];

    public void ApplyTo(SchemaModel model) => model.RenameTable(schema, from, to);
}
