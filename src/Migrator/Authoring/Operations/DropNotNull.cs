using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Makes a column nullable. Expand: DROP NOT NULL (a catalog change, no scan; the old version still
/// writes values, and the compatibility checker flags code that maps the column to a non-nullable
/// type). Nothing to contract. Rollback proves NOT NULL again without a long lock (CHECK NOT VALID,
/// VALIDATE, SET NOT NULL). NULLs the new version wrote meanwhile would make that fail: with
/// <paramref name="rollbackFill"/>, rollback first replaces them with that expression (an UPDATE of
/// the rows that are NULL, which are only those written during the window); without it, rollback
/// fails and leaves the column nullable.
/// </summary>
public sealed class DropNotNull(string schema, string table, string column, string? rollbackFill = null) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"drop NOT NULL on {schema}.{table}.{column}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [new(schema, table, column)];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var old = context.Schema.GetTable(schema, table).GetColumn(column);
        if (old.IsNullable)
        {
            throw BadInput($"{schema}.{table}.{column} is already nullable");
        }

        if (old.Definition.IsPrimaryKey)
        {
            throw BadInput($"{schema}.{table}.{column} is the primary key and cannot be nullable");
        }

        return [context.Dialect.DropNotNull(schema, table, old)];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var (prove, set) = NotNull(context, schema, table, column);
        var statements = new List<PlannedStatement>();
        if (rollbackFill is not null)
        {
            string t = context.Dialect.Qualified(schema, table);
            string c = context.Dialect.Quote(column);
            statements.Add(NotNullCheck(context, schema, table, column));
            statements.Add(Boundary);
            statements.Add(new PlannedStatement($"UPDATE {t} SET {c} = ({rollbackFill}) WHERE {c} IS NULL;"));
            statements.Add(Boundary);
            (prove, set) = NotNull(context, schema, table, column, checkAlreadyAdded: true);
        }

        return [.. statements, .. prove, .. set];
    }

    public void ApplyTo(SchemaModel model) => model.GetTable(schema, table).GetColumn(column).Definition.IsNullable = true;
}
