using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Makes a column NOT NULL without the full-table scan under ACCESS EXCLUSIVE that a plain
/// SET NOT NULL takes. Expand: a trigger that replaces a NULL written by either version with
/// <paramref name="fill"/> (an expression over the row), and CHECK (column IS NOT NULL) NOT VALID
/// (enforced for new writes, no scan). Backfill: existing NULLs get <paramref name="fill"/>.
/// Contract: VALIDATE in its own transaction (SHARE UPDATE EXCLUSIVE: writes go on), then SET NOT NULL
/// (no scan, thanks to the validated check), drop the check and the trigger. Rollback drops the check
/// and the trigger; NULLs the backfill filled keep their new value.
/// Without <paramref name="fill"/>, no trigger or backfill: writes of NULL are refused from expand on.
/// </summary>
public sealed class SetNotNull(string schema, string table, string column, string? fill = null) : IOperation, IHasContractPreconditions
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"set NOT NULL on {schema}.{table}.{column}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        if (!model.GetColumn(column).IsNullable)
        {
            throw BadInput($"{schema}.{table}.{column} is already NOT NULL");
        }

        var statements = new List<PlannedStatement>();
        if (fill is not null)
        {
            statements.AddRange(Fill(context, schema, table, column, fill!).Create);
        }

        if (CheckInExpand(context))
        {
            statements.Add(NotNullCheck(context, schema, table, column));
        }

        return statements;
    }

    public BackfillSpec? Backfill(OperationContext context) => fill is null
        ? null
        : new BackfillSpec(table, KeyColumn(context.Schema.GetTable(schema, table)),
            $"{context.Dialect.Quote(column)} = ({fill})", $"{context.Dialect.Quote(column)} IS NULL AND ({fill}) IS NOT NULL", schema);

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var (prove, set) = NotNull(context, schema, table, column, checkAlreadyAdded: CheckInExpand(context));
        return
        [
            .. prove,
            .. set,
            .. fill is null ? [] : Fill(context, schema, table, column, fill!).Drop,
        ];
    }

    /// <summary>The check new writes must meet is added by the expand, unless a fill trigger must give
    /// the value first and runs only after the checks (SQL Server): then the contract adds it.</summary>
    private bool CheckInExpand(OperationContext context) => fill is null || context.Dialect.TriggersFillBeforeChecks;

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) => [NoNulls(context, schema, table, column)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
    [
        context.Dialect.DropConstraint(schema, table, NotNullCheckName(context, column)),
        .. fill is null ? [] : Fill(context, schema, table, column, fill!).Drop,
    ];

    public void ApplyTo(SchemaModel model) => model.GetTable(schema, table).GetColumn(column).Definition.IsNullable = false;
}
