using Migrator.Dialects;

namespace Migrator.Dialects.Postgres;

/// <summary>The statements that install and remove one of Migrator's BEFORE INSERT OR UPDATE row
/// triggers and its function (in the ledger schema); both are safe to re-run.</summary>
internal static class RowTrigger
{
    public static IReadOnlyList<PlannedStatement> Create(string ledgerSchema, string functionName, string triggerName, string qualifiedTable, string body)
    {
        // The body names user columns: quote it with a tag none of them contains.
        string tag = PgNames.DollarTag(body);
        return
        [
        new PlannedStatement($"CREATE SCHEMA IF NOT EXISTS {PgSql.Ident(ledgerSchema)};"),
        new PlannedStatement($"""
            CREATE OR REPLACE FUNCTION {PgSql.Qualified(ledgerSchema, functionName)}() RETURNS trigger
            LANGUAGE plpgsql AS {tag}
            BEGIN
            {body}
              RETURN NEW;
            END
            {tag};
            """),
        new PlannedStatement($"DROP TRIGGER IF EXISTS {PgSql.Ident(triggerName)} ON {qualifiedTable};"),
        new PlannedStatement(
            $"CREATE TRIGGER {PgSql.Ident(triggerName)} BEFORE INSERT OR UPDATE ON {qualifiedTable} FOR EACH ROW EXECUTE FUNCTION {PgSql.Qualified(ledgerSchema, functionName)}();"),
        ];
    }

    public static IReadOnlyList<PlannedStatement> Drop(string ledgerSchema, string functionName, string triggerName, string schema, string table) =>
    [
        new PlannedStatement($"DROP TRIGGER IF EXISTS {PgSql.Ident(triggerName)} ON {PgSql.Qualified(schema, table)};").Guarded(OwnedObject.Trigger(schema, table, triggerName)),
        new PlannedStatement($"DROP FUNCTION IF EXISTS {PgSql.Qualified(ledgerSchema, functionName)}();").Guarded(OwnedObject.Function(ledgerSchema, functionName)),
    ];
}
