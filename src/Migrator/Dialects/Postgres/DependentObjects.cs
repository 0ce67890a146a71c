using Dapper;
using Migrator.Analyzers.Sql;
using Migrator.Dialects;
using System.Data.Common;

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
    public sealed record Found(string Target, IReadOnlyList<string> Blocking, IReadOnlyList<string> Recreated)
    {
        /// <summary>The table's own indexes and constraints on the column, which PostgreSQL drops with it.</summary>
        public IReadOnlyList<string> DroppedAlong { get; init; } = [];
    }

    /// <summary>For each target the steps remove, the objects that depend on it ("view public.v").
    /// Renames inside the steps are followed back to the live name (a column renamed aside and then
    /// dropped is the live column).</summary>
    public static async Task<IReadOnlyList<Found>> FindAsync(DbConnection connection, IReadOnlyList<PhaseStep> steps, string ledgerSchema)
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

            var rows = (await connection.QueryAsync<(string Kind, string? Schema, string Name, bool Own, bool SingleCheck, bool IsView)>(
                """
                WITH target AS (
                    SELECT to_regclass(@relation) AS rel,
                           (SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(@relation) AND attname = @column AND NOT attisdropped) AS col)
                SELECT DISTINCT
                    CASE WHEN d.classid = 'pg_rewrite'::regclass THEN CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END
                         ELSE (pg_identify_object(d.classid, d.objid, d.objsubid)).type END,
                    CASE WHEN d.classid = 'pg_rewrite'::regclass THEN n.nspname::text ELSE (pg_identify_object(d.classid, d.objid, d.objsubid)).schema END,
                    CASE WHEN d.classid = 'pg_rewrite'::regclass THEN c.relname::text ELSE (pg_identify_object(d.classid, d.objid, d.objsubid)).identity END,
                    coalesce(k.conrelid = t.rel, false) OR coalesce(ix.indrelid = t.rel, false),
                    coalesce(k.contype = 'c' AND k.conkey = ARRAY[t.col], false),
                    (SELECT relkind FROM pg_class WHERE oid = t.rel) = 'v'
                FROM target t
                JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = t.rel
                    AND (@column::text IS NULL OR d.refobjsubid = t.col)
                LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
                LEFT JOIN pg_class c ON c.oid = r.ev_class
                LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_constraint k ON d.classid = 'pg_constraint'::regclass AND k.oid = d.objid
                LEFT JOIN pg_index ix ON d.classid = 'pg_class'::regclass AND ix.indexrelid = d.objid
                WHERE (d.deptype = 'n' OR (@column::text IS NOT NULL AND d.deptype = 'a' AND ix.indexrelid IS NOT NULL))
                  AND (r.oid IS NULL OR r.ev_class <> t.rel)
                """,
                new { relation = PgSql.Qualified(schema, effect.Table!), column })).ToList();

            // DROP VIEW of a name that is a table now: the view is one an earlier phase creates (a
            // renamed table's old name), not this table.
            if (effect.Kind == DdlKind.DropView && rows.Count > 0 && !rows[0].IsView)
            {
                continue;
            }

            bool recreates = column is not null && held.Contains($"{schema}.{effect.Table}.{column}");
            var blocking = new List<string>();
            var recreated = new List<string>();
            var along = new List<string>();
            foreach (var row in rows.Where(r => r.Schema != ledgerSchema && !(IsView(r.Kind) && dropped.Contains($"{r.Schema}.{r.Name}"))))
            {
                string text = IsView(row.Kind) ? $"{row.Kind} {row.Schema}.{row.Name}" : $"{row.Kind} {row.Name}";
                if (row.Own)
                {
                    // The table's own constraints and indexes on the column go with it (PostgreSQL drops
                    // them); a CHECK on this column alone is added again when the column is replaced.
                    if (row.Name.StartsWith("migrator_", StringComparison.Ordinal) || row.Name.Contains(" migrator_", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    (recreates && row.SingleCheck ? recreated : along).Add(text);
                }
                else
                {
                    (recreates && IsView(row.Kind) ? recreated : blocking).Add(text);
                }
            }

            if (blocking.Count + recreated.Count + along.Count > 0)
            {
                found.Add(new Found(column is null ? $"{schema}.{effect.Table}" : $"{schema}.{effect.Table}.{column}",
                    [.. blocking.Distinct()], [.. recreated.Distinct()])
                { DroppedAlong = [.. along.Distinct()] });
            }
        }

        return found;
    }

    private static bool IsView(string kind) => kind.Contains("view", StringComparison.Ordinal);
}
