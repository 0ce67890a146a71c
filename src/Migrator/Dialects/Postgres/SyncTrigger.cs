using System.Text;
using System.Text.RegularExpressions;
using Migrator.Dialects;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// A BEFORE INSERT OR UPDATE row trigger that keeps the old shape of some columns and their new shape
/// equal while two app versions write, without knowing which version wrote (no search_path, no session
/// state), so it works behind PgBouncer in transaction mode. The old side is a set of columns the old
/// version uses, the new side a set the new version uses; <see cref="Up"/> computes each new column
/// from the old shape of the row, <see cref="Down"/> each old column from the new shape. Rules
/// (docs/operations.md):
/// <list type="bullet">
/// <item>INSERT: if any new column was given, the old side is derived from the new (the new side wins);
/// otherwise the new side is derived from the old.</item>
/// <item>UPDATE: if any new column changed, the old side is derived from the new (the new side wins
/// when both changed); else if any old column changed, or the new side is still all NULL (a row not
/// backfilled yet), the new side is derived from the old.</item>
/// <item>Rows written by the backfill (SET LOCAL migrator.backfill = 'on') are left alone, so a
/// backfill never fires the down direction.</item>
/// </list>
/// Expressions name columns as the app version of their side sees them: in <see cref="Up"/> a name is
/// the old shape's column, in <see cref="Down"/> the new shape's (a shadow column is seen under the
/// name it will have). The trigger binds those names to PL/pgSQL variables, which is how the same
/// expression text also works in the backfill's UPDATE. BEFORE ROW triggers run before NOT NULL and
/// CHECK constraints, so a side a version does not write is filled before they are checked.
/// </summary>
public sealed partial record SyncTrigger(
    string LedgerSchema,
    long ChangeId,
    string Schema,
    string Table,
    string Name,
    IReadOnlyList<SyncAssignment> Up,
    IReadOnlyList<SyncAssignment> Down)
{
    /// <summary>Setting the backfill marks its transactions with.</summary>
    public const string BackfillSetting = "migrator.backfill";

    /// <summary>Columns of the table as the old version sees them (for binding names in <see cref="Up"/>).</summary>
    public IReadOnlyList<string> OldShape { get; init; } = [];

    /// <summary>New-side columns that become NOT NULL at contract: when a write gives only some of the
    /// new columns, each of these still NULL afterwards is derived from the old shape (itself derived
    /// from what was given), so no row ends with a NULL the contract would refuse.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Columns as the new version sees them, each with the physical column that holds it now.</summary>
    public IReadOnlyList<(string Seen, string Physical)> NewShape { get; init; } = [];

    /// <summary>The classic pair: <paramref name="newColumn"/> mirrors <paramref name="oldColumn"/>.</summary>
    public static SyncTrigger Mirror(string ledgerSchema, long changeId, string schema, string table, string oldColumn, string newColumn) =>
        new(ledgerSchema, changeId, schema, table, newColumn,
            [new SyncAssignment(newColumn, PgSql.Ident(oldColumn))],
            [new SyncAssignment(oldColumn, PgSql.Ident(newColumn))])
        {
            OldShape = [oldColumn],
            NewShape = [(newColumn, newColumn)],
        };

    public string FunctionName => PgNames.Fit($"sync_{ChangeId}_{Table}_{Name}");

    public string TriggerName => PgNames.Fit($"migrator_sync_{ChangeId}_{Name}");

    private string QualifiedTable => PgSql.Qualified(Schema, Table);

    /// <summary>Creates (or replaces) the function and the trigger; safe to re-run.</summary>
    public IReadOnlyList<PlannedStatement> Create()
    {
        var newCols = Up.Select(a => a.Column).ToList();
        var oldCols = Down.Select(a => a.Column).ToList();
        string anyNewGiven = string.Join(" OR ", newCols.Select(c => $"NEW.{PgSql.Ident(c)} IS NOT NULL"));
        string newChanged = string.Join(" OR ", newCols.Select(c => $"NEW.{PgSql.Ident(c)} IS DISTINCT FROM OLD.{PgSql.Ident(c)}"));
        string oldChanged = string.Join(" OR ", oldCols.Select(c => $"NEW.{PgSql.Ident(c)} IS DISTINCT FROM OLD.{PgSql.Ident(c)}"));
        string newAllNull = string.Join(" AND ", newCols.Select(c => $"NEW.{PgSql.Ident(c)} IS NULL"));
        string up = Assignments(Up, [.. OldShape.Select(c => (c, c))], QualifiedTable, "      ");
        string down = Assignments(Down, NewShape, QualifiedTable, "      ") + CompleteRequired();
        string body = $"""
              IF current_setting('{BackfillSetting}', true) = 'on' THEN
                RETURN NEW;
              END IF;
              IF TG_OP = 'INSERT' THEN
                IF {anyNewGiven} THEN
            {down}
                ELSE
            {up}
                END IF;
              ELSIF {newChanged} THEN
            {down}
              ELSIF {oldChanged} OR ({newAllNull}) THEN
            {up}
              END IF;
            """;
        return RowTrigger.Create(LedgerSchema, FunctionName, TriggerName, QualifiedTable, body);
    }

    /// <summary>After the down direction: each required new column the write left NULL, from the old
    /// shape as the down direction just set it.</summary>
    private string CompleteRequired()
    {
        var text = new StringBuilder();
        foreach (var assignment in Up.Where(a => Required.Contains(a.Column)))
        {
            text.Append($"\n      IF NEW.{PgSql.Ident(assignment.Column)} IS NULL THEN\n");
            text.Append(Assignments([assignment], [.. OldShape.Select(c => (c, c))], QualifiedTable, "        "));
            text.Append("\n      END IF;");
        }

        return text.ToString();
    }

    /// <summary>Drops the trigger and its function; safe to re-run.</summary>
    public IReadOnlyList<PlannedStatement> Drop() => RowTrigger.Drop(LedgerSchema, FunctionName, TriggerName, Schema, Table);

    /// <summary>
    /// Assignments for one direction. An expression that is just a column of its side is copied
    /// directly (no variables, the cheapest trigger); otherwise the names the expressions mention are
    /// bound to variables in a nested block, and the assignments read them.
    /// </summary>
    internal static string Assignments(IReadOnlyList<SyncAssignment> assignments, IReadOnlyList<(string Seen, string Physical)> shape, string qualifiedTable, string indent)
    {
        var direct = new StringBuilder();
        var bound = new List<SyncAssignment>();
        foreach (var assignment in assignments)
        {
            var column = shape.FirstOrDefault(s => PgSql.Ident(s.Seen) == assignment.Expression.Trim() || s.Seen == assignment.Expression.Trim());
            if (column.Seen is not null)
            {
                direct.Append(indent).Append($"NEW.{PgSql.Ident(assignment.Column)} := NEW.{PgSql.Ident(column.Physical)};\n");
            }
            else
            {
                bound.Add(assignment);
            }
        }

        if (bound.Count > 0)
        {
            var mentioned = shape.Where(s => bound.Any(b => Mentions(b.Expression, s.Seen))).ToList();
            if (mentioned.Count > 0)
            {
                direct.Append(indent).Append("DECLARE\n");
                foreach (var (seen, physical) in mentioned)
                {
                    direct.Append(indent).Append($"  {PgSql.Ident(seen)} {qualifiedTable}.{PgSql.Ident(physical)}%TYPE := NEW.{PgSql.Ident(physical)};\n");
                }
            }

            direct.Append(indent).Append("BEGIN\n");
            foreach (var assignment in bound)
            {
                direct.Append(indent).Append($"  NEW.{PgSql.Ident(assignment.Column)} := ({assignment.Expression});\n");
            }

            direct.Append(indent).Append("END;\n");
        }

        return direct.ToString().TrimEnd('\n');
    }

    /// <summary>True if <paramref name="expression"/> names the column, bare or quoted.</summary>
    internal static bool Mentions(string expression, string column) =>
        expression.Contains(PgSql.Ident(column), StringComparison.Ordinal)
        || Words().Matches(expression).Any(m => string.Equals(m.Value, column, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"(?<![\w.'""$])[A-Za-z_][\w$]*")]
    private static partial Regex Words();
}
