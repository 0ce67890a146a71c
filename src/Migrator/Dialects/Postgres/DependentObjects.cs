using Dapper;
using Migrator.Analyzers.Sql;
using Migrator.Planning;
using Npgsql;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// What in the live database depends on the columns and tables a phase drops or retypes, read from
/// pg_depend: views and materialized views (through their rewrite rules), rules, functions with
/// SQL-standard bodies, policies, and foreign keys of other tables. Objects the phase drops itself,
/// and Migrator's own objects in the ledger schema, are left out. PostgreSQL refuses to drop or retype
/// what these depend on (2BP01), so each is a reason to hold the phase back.
/// </summary>
public static class DependentObjects
{
    private static readonly HashSet<DdlKind> Removing = [DdlKind.DropColumn, DdlKind.AlterColumnType, DdlKind.DropTable, DdlKind.DropView];

    /// <summary>What depends on one target a phase removes: <see cref="Blocking"/> makes the phase fail;
    /// <see cref="Recreated"/> are views and materialized views the phase moves onto the replacing column.</summary>
    public sealed record Found(string Target, IReadOnlyList<string> Blocking, IReadOnlyList<string> Recreated);

    /// <summary>For each target the steps remove, the objects that depend on it ("view public.v").
    /// Renames inside the steps are followed back to the live name (a column renamed aside and then
    /// dropped is the live column).</summary>
    public static async Task<IReadOnlyList<Found>> FindAsync(NpgsqlConnection connection, IReadOnlyList<PhaseStep> steps, string ledgerSchema)
    {
        var statements = steps.SelectMany(s => s.Statements).Where(s => !s.IsBoundary).ToList();
        var held = statements.Where(s => s.RecreatesViewsOf is not null).Select(s => s.RecreatesViewsOf!.Value)
            .Select(h => $"{h.Schema}.{h.Table}.{h.Column}").ToHashSet(StringComparer.Ordinal);
        var effects = statements.SelectMany(s => PgDdlAnalyzer.Analyze(s.Sql)).ToList();
        var dropped = effects.Where(e => e.Kind is DdlKind.DropTable or DdlKind.DropView && e.Table is not null)
            .Select(e => $"{e.Schema ?? "public"}.{e.Table}").ToHashSet(StringComparer.Ordinal);
        var liveName = new Dictionary<string, string>(StringComparer.Ordinal);
        var found = new List<Found>();
        foreach (var effect in effects.Where(e => e.Table is not null))
        {
            string schema = effect.Schema ?? "public";
            if (effect.Kind == DdlKind.RenameColumn && effect.Column is not null && effect.NewName is not null)
            {
                string from = $"{schema}.{effect.Table}.{effect.Column}";
                liveName[$"{schema}.{effect.Table}.{effect.NewName}"] = liveName.GetValueOrDefault(from, from);
                liveName.Remove(from);
                continue;
            }

            if (!Removing.Contains(effect.Kind))
            {
                continue;
            }

            string? column = null;
            if (effect.Kind is DdlKind.DropColumn or DdlKind.AlterColumnType)
            {
                string named = $"{schema}.{effect.Table}.{effect.Column}";
                column = liveName.GetValueOrDefault(named, named)[(schema.Length + effect.Table!.Length + 2)..];
            }

            var rows = await connection.QueryAsync<(string Kind, string? Schema, string Name)>(
                """
                WITH target AS (
                    SELECT to_regclass(@relation) AS rel,
                           (SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(@relation) AND attname = @column AND NOT attisdropped) AS col)
                SELECT DISTINCT
                    CASE WHEN d.classid = 'pg_rewrite'::regclass THEN CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END
                         ELSE (pg_identify_object(d.classid, d.objid, d.objsubid)).type END,
                    CASE WHEN d.classid = 'pg_rewrite'::regclass THEN n.nspname::text ELSE (pg_identify_object(d.classid, d.objid, d.objsubid)).schema END,
                    CASE WHEN d.classid = 'pg_rewrite'::regclass THEN c.relname::text ELSE (pg_identify_object(d.classid, d.objid, d.objsubid)).identity END
                FROM target t
                JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = t.rel
                    AND (@column::text IS NULL OR d.refobjsubid = t.col)
                LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
                LEFT JOIN pg_class c ON c.oid = r.ev_class
                LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE d.deptype = 'n'
                  AND (r.oid IS NULL OR r.ev_class <> t.rel)
                """,
                new { relation = PgSql.Qualified(schema, effect.Table!), column });
            var dependents = rows
                .Where(r => r.Schema != ledgerSchema)
                .Where(r => !(IsView(r.Kind) && dropped.Contains($"{r.Schema}.{r.Name}")))
                .Select(r => (r.Kind, Text: IsView(r.Kind) ? $"{r.Kind} {r.Schema}.{r.Name}" : $"{r.Kind} {r.Name}"))
                .Distinct()
                .ToList();
            bool recreates = column is not null && held.Contains($"{schema}.{effect.Table}.{column}");
            var recreated = recreates ? dependents.Where(d => IsView(d.Kind)).Select(d => d.Text).ToList() : [];
            var blocking = dependents.Select(d => d.Text).Except(recreated).ToList();
            if (dependents.Count > 0)
            {
                found.Add(new Found(column is null ? $"{schema}.{effect.Table}" : $"{schema}.{effect.Table}.{column}", blocking, recreated));
            }
        }

        return found;
    }

    private static bool IsView(string kind) => kind.Contains("view", StringComparison.Ordinal);
}
