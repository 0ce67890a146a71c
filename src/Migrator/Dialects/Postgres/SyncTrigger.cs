using Migrator.Planning;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// A BEFORE INSERT OR UPDATE row trigger that keeps an old and a new column equal while two app
/// versions write, without knowing which version wrote (no search_path, no session state), so it
/// works behind PgBouncer in transaction mode. Rules (docs/architecture.md):
/// <list type="bullet">
/// <item>INSERT: if the new column was given, the old one is derived from it (the new side wins);
/// otherwise the new one is derived from the old. A DEFAULT on the old column therefore never hides
/// what the new version wrote, because the new column has no default during the window.</item>
/// <item>UPDATE: the side that changed is copied to the other; if both changed, the new side wins;
/// a row not backfilled yet gets its new column filled when it is touched.</item>
/// <item>Rows written by the backfill (SET LOCAL migrator.backfill = 'on') are left alone, so a
/// backfill never fires the down direction.</item>
/// </list>
/// BEFORE ROW triggers run before NOT NULL checks, so a NOT NULL old column stays valid for inserts
/// from a version that only writes the new one.
/// </summary>
/// <param name="LedgerSchema">Schema that holds the trigger function.</param>
/// <param name="ChangeId">Change the trigger belongs to (part of its name).</param>
/// <param name="Schema">Schema of the table.</param>
/// <param name="Table">The table.</param>
/// <param name="OldColumn">Column the old version uses.</param>
/// <param name="NewColumn">Column the new version uses.</param>
/// <param name="Up">Expression giving the new column from the old one (default: the old column).</param>
/// <param name="Down">Expression giving the old column from the new one (default: the new column).</param>
public sealed record SyncTrigger(
    string LedgerSchema,
    long ChangeId,
    string Schema,
    string Table,
    string OldColumn,
    string NewColumn,
    string? Up = null,
    string? Down = null)
{
    /// <summary>Setting the backfill marks its transactions with.</summary>
    public const string BackfillSetting = "migrator.backfill";

    public string FunctionName => $"sync_{ChangeId}_{Table}_{NewColumn}";

    public string TriggerName => $"migrator_sync_{ChangeId}_{NewColumn}";

    private string QualifiedFunction => PgSql.Qualified(LedgerSchema, FunctionName);

    private string QualifiedTable => PgSql.Qualified(Schema, Table);

    /// <summary>Creates (or replaces) the function and the trigger; safe to re-run.</summary>
    public IReadOnlyList<PlannedStatement> Create()
    {
        string oldCol = "NEW." + PgSql.Ident(OldColumn);
        string newCol = "NEW." + PgSql.Ident(NewColumn);
        string up = Up ?? oldCol;
        string down = Down ?? newCol;
        string function = $"""
            CREATE OR REPLACE FUNCTION {QualifiedFunction}() RETURNS trigger
            LANGUAGE plpgsql AS $migrator$
            BEGIN
              IF current_setting('{BackfillSetting}', true) = 'on' THEN
                RETURN NEW;
              END IF;
              IF TG_OP = 'INSERT' THEN
                IF {newCol} IS NOT NULL THEN
                  {oldCol} := {down};
                ELSE
                  {newCol} := {up};
                END IF;
              ELSIF {newCol} IS DISTINCT FROM OLD.{PgSql.Ident(NewColumn)} THEN
                {oldCol} := {down};
              ELSIF {oldCol} IS DISTINCT FROM OLD.{PgSql.Ident(OldColumn)} OR {newCol} IS NULL THEN
                {newCol} := {up};
              END IF;
              RETURN NEW;
            END
            $migrator$;
            """;
        return
        [
            new PlannedStatement($"CREATE SCHEMA IF NOT EXISTS {PgSql.Ident(LedgerSchema)};"),
            new PlannedStatement(function),
            new PlannedStatement($"DROP TRIGGER IF EXISTS {PgSql.Ident(TriggerName)} ON {QualifiedTable};"),
            new PlannedStatement(
                $"CREATE TRIGGER {PgSql.Ident(TriggerName)} BEFORE INSERT OR UPDATE ON {QualifiedTable} FOR EACH ROW EXECUTE FUNCTION {QualifiedFunction}();"),
        ];
    }

    /// <summary>Drops the trigger and its function; safe to re-run.</summary>
    public IReadOnlyList<PlannedStatement> Drop() =>
    [
        new PlannedStatement($"DROP TRIGGER IF EXISTS {PgSql.Ident(TriggerName)} ON {QualifiedTable};"),
        new PlannedStatement($"DROP FUNCTION IF EXISTS {QualifiedFunction}();"),
    ];
}
