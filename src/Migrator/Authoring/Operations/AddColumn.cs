using System.Text.RegularExpressions;
using FluentMigrator.Expressions;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Adds a column without a long lock and without breaking the version that does not know it.
/// <list type="bullet">
/// <item>Nullable, or with a constant default (NOT NULL or not): one ADD COLUMN; PostgreSQL 11+
/// stores a constant default in the catalog, no table rewrite.</item>
/// <item>With a volatile default (anything that is not a literal: <c>gen_random_uuid()</c>,
/// <c>now()</c>, <c>nextval(…)</c>): added without it (no rewrite), the default set for new rows in
/// the same transaction, existing rows backfilled in batches, then NOT NULL proved at contract.</item>
/// <item>NOT NULL with no default: needs <paramref name="fill"/>, an expression over the row. Expand
/// adds the column nullable, a trigger that fills it from <paramref name="fill"/> whenever a write
/// leaves it NULL (the old version never writes it), and CHECK (column IS NOT NULL) NOT VALID; the
/// backfill fills older rows; contract validates the check in its own transaction, then sets NOT NULL
/// (no scan) and drops the check and the trigger.</item>
/// </list>
/// Rollback drops the trigger, check and column.
/// </summary>
public sealed partial class AddColumn(string schema, string table, string column, string type, bool nullable = true, string? defaultSql = null, string? fill = null) : IOperation, IHasContractPreconditions, IAddsColumns
{
    private enum Kind
    {
        Plain,
        VolatileDefault,
        Filled,
    }

    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() =>
        $"add column {schema}.{table}.{column} {type}{(nullable ? "" : " NOT NULL")}{(defaultSql is null ? "" : $" DEFAULT {defaultSql}")}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        if (model.FindColumn(column) is not null)
        {
            throw BadInput($"{schema}.{table} already has a column {column}");
        }

        var kind = Classify();
        if (kind == Kind.Plain)
        {
            return context.Dialect.Generate(new CreateColumnExpression
            {
                SchemaName = schema,
                TableName = table,
                Column = Column(table, column, type, nullable, defaultSql),
            });
        }

        var statements = new List<PlannedStatement>(context.Dialect.Generate(new CreateColumnExpression
        {
            SchemaName = schema,
            TableName = table,
            Column = Column(table, column, type, nullable: true),
        }));
        if (kind == Kind.VolatileDefault)
        {
            statements.Add(context.Dialect.SetDefault(schema, table, column, defaultSql!));
            return statements;
        }

        statements.AddRange(Fill(context, schema, table, column, fill!).Create);
        if (context.Dialect.TriggersFillBeforeChecks)
        {
            // New writes must give the column a value from now on; the fill trigger gives it for the
            // version that does not. Where triggers run after the checks (SQL Server), the check is
            // added by the contract instead.
            statements.Add(NotNullCheck(context, schema, table, column));
        }

        return statements;
    }

    public BackfillSpec? Backfill(OperationContext context)
    {
        var kind = Classify();
        if (kind == Kind.Plain)
        {
            return null;
        }

        string value = kind == Kind.Filled ? fill! : defaultSql!;
        return new BackfillSpec(table, KeyColumn(context.Schema.GetTable(schema, table)),
            $"{context.Dialect.Quote(column)} = ({value})", $"{context.Dialect.Quote(column)} IS NULL AND ({value}) IS NOT NULL", schema);
    }

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var kind = Classify();
        if (kind == Kind.Plain || nullable)
        {
            return [];
        }

        var (prove, set) = NotNull(context, schema, table, column, checkAlreadyAdded: kind == Kind.Filled && context.Dialect.TriggersFillBeforeChecks);
        var statements = new List<PlannedStatement>(prove);
        statements.AddRange(set);
        if (kind == Kind.Filled)
        {
            statements.AddRange(Fill(context, schema, table, column, fill!).Drop);
        }

        return statements;
    }

    public IEnumerable<(string Schema, string Table, string Column)> AddedColumns => [(schema, table, column)];

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) =>
        Classify() == Kind.Plain || nullable ? [] : [NoNulls(context, schema, table, column)];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var statements = new List<PlannedStatement>();
        if (Classify() == Kind.Filled)
        {
            statements.AddRange(Fill(context, schema, table, column, fill!).Drop);
        }

        statements.Add(context.Dialect.DropColumn(schema, table, column).Guarded(OwnedObject.Column(schema, table, column)));
        return statements;
    }

    public void ApplyTo(SchemaModel model) =>
        model.GetTable(schema, table).AddColumn(new ColumnModel(Column(table, column, type, nullable, defaultSql)));

    private Kind Classify()
    {
        if (defaultSql is not null)
        {
            return Constant().IsMatch(defaultSql) ? Kind.Plain : Kind.VolatileDefault;
        }

        if (nullable)
        {
            return Kind.Plain;
        }

        return fill is null
            ? throw BadInput($"add column {schema}.{table}.{column}: a NOT NULL column with no default needs a fill expression for existing rows and for the version that does not write it")
            : Kind.Filled;
    }


    // A literal (number, quoted string, boolean, NULL), optionally cast: PostgreSQL 11+ stores it
    // without rewriting the table. Anything else is treated as volatile (the safe path).
    [GeneratedRegex(@"^\s*(-?\d+(\.\d+)?|'([^']|'')*'|true|false|null)\s*(::\s*[\w ]+(\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])?)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Constant();
}
