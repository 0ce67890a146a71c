using FluentMigrator.Expressions;
using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Planning;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Renames a column with no moment where either app version breaks.
/// <list type="bullet">
/// <item>Expand: add the new column (same type, nullable, no default), and a sync trigger that keeps
/// both equal whichever version writes.</item>
/// <item>Backfill: copy the old column into the new one for rows written before the expand.</item>
/// <item>Contract: if the old column was NOT NULL, prove the new one has no NULLs with a CHECK added
/// NOT VALID and validated in its own transaction; then in one short transaction set NOT NULL (no scan,
/// thanks to the validated check), move the default, drop the trigger and the old column.</item>
/// </list>
/// Indexes and constraints on the old column are not copied yet (docs/operations.md).
/// </summary>
public sealed class RenameColumn(string schema, string table, string from, string to) : IOperation
{
    public string Schema { get; } = schema;

    public string Table { get; } = table;

    public string From { get; } = from;

    public string To { get; } = to;

    public string Describe() => $"rename column {Schema}.{Table}.{From} to {To}";

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var table = context.Schema.GetTable(Schema, Table);
        var old = table.GetColumn(From);
        if (table.FindColumn(To) is not null)
        {
            throw new MigratorException(ExitCodes.BadInput, $"cannot rename {Schema}.{Table}.{From}: column {To} already exists");
        }

        var add = new CreateColumnExpression
        {
            SchemaName = Schema,
            TableName = Table,
            Column = old.CopyAsPlainNullable(To, Table),
        };
        return [.. context.Dialect.Generate(add), .. Trigger(context).Create()];
    }

    public BackfillSpec? Backfill(OperationContext context) => new(
        Table,
        Key: KeyColumn(context.Schema.GetTable(Schema, Table)),
        Set: $"{PgSql.Ident(To)} = {PgSql.Ident(From)}",
        Pending: $"{PgSql.Ident(To)} IS NULL AND {PgSql.Ident(From)} IS NOT NULL",
        Schema: Schema);

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var old = context.Schema.GetTable(Schema, Table).GetColumn(From);
        string table = PgSql.Qualified(Schema, Table);
        string check = PgSql.Ident($"migrator_nn_{context.ChangeId}_{To}");
        var statements = new List<PlannedStatement>();
        var final = new List<PlannedStatement>();
        if (!old.IsNullable)
        {
            // Each ALTER in its own step: the VALIDATE scan must not run while the stronger lock of
            // ADD CONSTRAINT is held (hazard 17).
            statements.Add(new PlannedStatement(
                $"ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({PgSql.Ident(To)} IS NOT NULL) NOT VALID;"));
            statements.Add(Boundary);
            statements.Add(new PlannedStatement($"ALTER TABLE {table} VALIDATE CONSTRAINT {check};"));
            statements.Add(Boundary);
            final.Add(new PlannedStatement(
                $"ALTER TABLE {table} ALTER COLUMN {PgSql.Ident(To)} SET NOT NULL, DROP CONSTRAINT {check};"));
        }

        if (old.HasDefault)
        {
            final.AddRange(context.Dialect.Generate(new AlterDefaultConstraintExpression
            {
                SchemaName = Schema,
                TableName = Table,
                ColumnName = To,
                DefaultValue = old.Definition.DefaultValue,
            }));
        }

        final.AddRange(Trigger(context).Drop());
        final.AddRange(context.Dialect.Generate(new DeleteColumnExpression
        {
            SchemaName = Schema,
            TableName = Table,
            ColumnNames = [From],
        }));
        statements.AddRange(final);
        return statements;
    }

    public void ApplyTo(SchemaModel model) => model.RenameColumn(Schema, Table, From, To);

    /// <summary>Ends the current transaction: the statements after it run in a new one.</summary>
    private static PlannedStatement Boundary => PlannedStatement.Commit;

    private SyncTrigger Trigger(OperationContext context) =>
        new(context.Dialect.LedgerSchema, context.ChangeId, Schema, Table, From, To);

    private string KeyColumn(TableModel table)
    {
        var keys = table.Columns.Where(c => c.Definition.IsPrimaryKey).ToList();
        if (keys.Count != 1)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"cannot backfill {Schema}.{Table}: it needs a single-column primary key (found {keys.Count})");
        }

        return keys[0].Name;
    }
}
