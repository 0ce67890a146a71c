using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>Base of the operations that are one <see cref="ColumnRewrite"/> (rename, split, merge):
/// each phase is the rewrite's.</summary>
public abstract class ColumnRewriteOperation : IOperation, IHasContractPreconditions
{
    public abstract string Describe();

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => Rewrite(context.Schema).Targets();

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context) => Rewrite(context.Schema).Expand(context);

    public BackfillSpec? Backfill(OperationContext context) => Rewrite(context.Schema).Backfill(context);

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => Rewrite(context.Schema).Contract(context);

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) => Rewrite(context.Schema).Rollback(context);

    public virtual IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) => Rewrite(context.Schema).Preconditions();

    public virtual void ApplyTo(SchemaModel model) => Rewrite(model).ApplyTo(model);

    /// <summary>The rewrite, given the schema before the change.</summary>
    internal abstract ColumnRewrite Rewrite(SchemaModel schema);
}
