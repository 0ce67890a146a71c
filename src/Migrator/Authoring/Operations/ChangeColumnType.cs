using System.Text.RegularExpressions;
using FluentMigrator.Model;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Changes a column's type while both versions keep using its name (int → bigint, text → jsonb,
/// varchar(n) narrowing): a shadow column of the new type kept equal by a sync trigger, backfilled,
/// and swapped in at contract in one short transaction (drop the old column, rename the shadow).
/// <list type="bullet">
/// <item><paramref name="up"/> gives the new value from the old row (default: <c>column::type</c>);
/// <paramref name="down"/> gives the old value from the new row (default: the new value, converted by
/// PL/pgSQL's assignment).</item>
/// <item>Narrowing to varchar(n)/char(n): a cast would silently truncate, so a CHECK that every value
/// fits is added NOT VALID in expand (writes that would not fit are refused from then on) and
/// validated before the swap. Another bound can be given as <paramref name="check"/>.</item>
/// <item>Indexes on the old column are not rebuilt on the new one (docs/operations.md); the primary
/// key column cannot be retyped this way.</item>
/// </list>
/// </summary>
public sealed partial class ChangeColumnType(string schema, string table, string column, string type, string? up = null, string? down = null, string? check = null) : IOperation, IHasContractPreconditions
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"change type of {schema}.{table}.{column} to {type}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => Rewrite(context).Targets();

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var statements = new List<PlannedStatement>(Rewrite(context).Expand(context));
        if (Check(context.Dialect) is { } condition)
        {
            // Where the rewrite's expand alters the old column (SQL Server lets it hold NULL), the check
            // comes after: SQL Server refuses ALTER COLUMN on a column a CHECK reads.
            statements.Insert(context.Dialect.TriggersFillBeforeChecks ? 0 : statements.Count, context.Dialect.AddCheck(schema, table, CheckName(context), condition));
        }

        return statements;
    }

    public BackfillSpec? Backfill(OperationContext context) => Rewrite(context).Backfill(context);

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var statements = new List<PlannedStatement>();
        if (Check(context.Dialect) is not null)
        {
            statements.AddRange(ValidateCheck(context, schema, table, CheckName(context)));
        }

        statements.AddRange(Rewrite(context).Contract(context));
        return statements;
    }

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var statements = new List<PlannedStatement>(Rewrite(context).Rollback(context));
        if (Check(context.Dialect) is not null)
        {
            statements.Add(context.Dialect.DropConstraint(schema, table, CheckName(context)).Guarded(OwnedObject.Constraint(schema, table, CheckName(context))));
        }

        return statements;
    }

    public void ApplyTo(SchemaModel model)
    {
        var target = model.GetTable(schema, table);
        var final = Final(target);
        target.RemoveColumn(column);
        target.AddColumn(new ColumnModel(final));
    }

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) =>
        [.. Check(context.Dialect) is { } condition ? [Holds(context, schema, table, CheckName(context), condition)] : Array.Empty<ContractPrecondition>(), .. Rewrite(context).Preconditions(context)];

    /// <summary>The condition the old values must meet to fit, or null.</summary>
    private string? Check(ISqlDialect dialect)
    {
        if (check is not null)
        {
            return check;
        }

        var bounded = BoundedText().Match(type);
        return bounded.Success ? $"{dialect.TextLength(dialect.Quote(column))} <= {bounded.Groups["n"].Value}" : null;
    }

    private string CheckName(OperationContext context) => context.Dialect.ShortenName($"migrator_fit_{context.ChangeId}_{column}");

    private ColumnRewrite Rewrite(OperationContext context) =>
        Rewrite(context.Schema, context.Dialect, Check(context.Dialect) is null ? [] : [CheckName(context)]);

    /// <summary>The column as it is after the contract: the old one with the new type.</summary>
    private ColumnDefinition Final(TableModel model)
    {
        var final = (ColumnDefinition)model.GetColumn(column).Definition.Clone();
        final.CustomType = type;
        final.Type = null;
        final.Size = null;
        final.Precision = null;
        return final;
    }

    private ColumnRewrite Rewrite(SchemaModel schemaModel, ISqlDialect dialect, IReadOnlyList<string> ownChecks)
    {
        var final = Final(schemaModel.GetTable(schema, table));
        return new ColumnRewrite(
            schema,
            table,
            [column],
            [new RewrittenColumn(final, up ?? dialect.Cast(dialect.Quote(column), type))],
            [new SyncAssignment(column, down ?? dialect.Quote(column))],
            column)
        {
            OwnChecks = ownChecks,
        };
    }

    [GeneratedRegex(@"^\s*(n?varchar|character\s+varying|n?char|character|bpchar)\s*\(\s*(?<n>\d+)\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BoundedText();
}
