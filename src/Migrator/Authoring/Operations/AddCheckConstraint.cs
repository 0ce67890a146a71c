using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Adds a CHECK constraint without a scan under a strong lock. Expand: ADD CONSTRAINT … CHECK (…)
/// NOT VALID (brief ACCESS EXCLUSIVE, no scan; new writes are checked from then on). Contract:
/// VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on).
/// Rollback drops the constraint.
/// </summary>
public sealed class AddCheckConstraint(string schema, string table, string name, string condition, IReadOnlyList<string>? columns = null) : IOperation, IHasContractPreconditions
{
    public string Describe() => $"add check {name} on {schema}.{table}: {condition}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) =>
        columns is null ? [new SchemaTarget(schema, table)] : [.. columns.Select(c => new SchemaTarget(schema, table, c))];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table);
        return [new PlannedStatement($"ALTER TABLE {PgSql.Qualified(schema, table)} ADD CONSTRAINT {PgSql.Ident(name)} CHECK ({condition}) NOT VALID;")];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [.. ValidateCheck(context, schema, table, name).SkipLast(1)];

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) => [Holds(schema, table, name, condition)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
        [new PlannedStatement($"ALTER TABLE {PgSql.Qualified(schema, table)} DROP CONSTRAINT IF EXISTS {PgSql.Ident(name)};").Guarded(OwnedObject.Constraint(schema, table, name))];

    public void ApplyTo(SchemaModel model)
    {
    }
}
