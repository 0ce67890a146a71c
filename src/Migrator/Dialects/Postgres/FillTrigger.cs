using Migrator.Dialects;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// A BEFORE INSERT OR UPDATE row trigger that fills one column from an expression over the row when a
/// write leaves it NULL. It lets a version that does not know a column keep writing while the column
/// must hold a value: the old version inserting into a table that gained a NOT NULL column, the new
/// version inserting into a table whose column it no longer knows (dropped column), or either one
/// writing NULL into a column becoming NOT NULL. Names in the expression are the row's columns.
/// </summary>
public sealed record FillTrigger(
    string LedgerSchema,
    long ChangeId,
    string Schema,
    string Table,
    string Column,
    string Expression,
    IReadOnlyList<string> Shape)
{
    public string FunctionName => PgNames.Fit($"fill_{ChangeId}_{Table}_{Column}");

    public string TriggerName => PgNames.Fit($"migrator_fill_{ChangeId}_{Column}");

    private string QualifiedTable => PgSql.Qualified(Schema, Table);

    public IReadOnlyList<PlannedStatement> Create()
    {
        string column = PgSql.Ident(Column);
        string assign = SyncTrigger.Assignments(
            [new SyncAssignment(Column, Expression)], [.. Shape.Select(c => (c, c))], QualifiedTable, "    ");
        string body = $"""
              IF NEW.{column} IS NULL THEN
            {assign}
              END IF;
            """;
        return RowTrigger.Create(LedgerSchema, FunctionName, TriggerName, QualifiedTable, body);
    }

    public IReadOnlyList<PlannedStatement> Drop() => RowTrigger.Drop(LedgerSchema, FunctionName, TriggerName, Schema, Table);
}
