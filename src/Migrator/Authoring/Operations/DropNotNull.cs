using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Makes a column nullable. Expand: DROP NOT NULL (a catalog change, no scan; the old version still
/// writes values, and the compatibility checker flags code that maps the column to a non-nullable
/// type). Nothing to contract. Rollback proves NOT NULL again without a long lock (CHECK NOT VALID,
/// VALIDATE, SET NOT NULL); it fails, leaving the column nullable, if NULLs were written meanwhile.
/// </summary>
public sealed class DropNotNull(string schema, string table, string column) : IOperation
{
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

        return [new PlannedStatement($"ALTER TABLE {PgSql.Qualified(schema, table)} ALTER COLUMN {PgSql.Ident(column)} DROP NOT NULL;")];
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var (prove, set) = NotNull(context, schema, table, column);
        return [.. prove, set];
    }

    public void ApplyTo(SchemaModel model) => model.GetTable(schema, table).GetColumn(column).Definition.IsNullable = true;
}
