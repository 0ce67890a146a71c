using Migrator.Backfill;
using Migrator.Dialects;
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
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"add check {name} on {schema}.{table}: {condition}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) =>
        columns is null ? [new SchemaTarget(schema, table)] : [.. columns.Select(c => new SchemaTarget(schema, table, c))];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        context.Schema.GetTable(schema, table);
        return [context.Dialect.AddCheck(schema, table, name, condition)];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        [.. ValidateCheck(context, schema, table, name).SkipLast(1)];

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) => [Holds(context, schema, table, name, condition)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
        [context.Dialect.DropConstraint(schema, table, name).Guarded(OwnedObject.Constraint(schema, table, name))];

    public void ApplyTo(SchemaModel model)
    {
    }
}
