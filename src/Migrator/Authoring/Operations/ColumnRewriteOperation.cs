using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>Base of the operations that are one <see cref="ColumnRewrite"/> (rename, split, merge):
/// each phase is the rewrite's.</summary>
public abstract class ColumnRewriteOperation : IOperation, IHasContractPreconditions
{
    public bool Supports(ISqlDialect dialect) => true;

    public abstract string Describe();

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => Rewrite(context.Schema, context.Dialect).Targets();

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context) => Rewrite(context.Schema, context.Dialect).Expand(context);

    public BackfillSpec? Backfill(OperationContext context) => Rewrite(context.Schema, context.Dialect).Backfill(context);

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => Rewrite(context.Schema, context.Dialect).Contract(context);

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => Rewrite(context.Schema, context.Dialect).Rollback(context);

    public virtual IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) => Rewrite(context.Schema, context.Dialect).Preconditions(context);

    public virtual void ApplyTo(SchemaModel model) => Rewrite(model, null).ApplyTo(model);

    /// <summary>The rewrite, given the schema before the change and the dialect its SQL is written in
    /// (null when only the shape after the change is wanted: <see cref="ApplyTo"/>).</summary>
    internal abstract ColumnRewrite Rewrite(SchemaModel schema, ISqlDialect? dialect);
}
