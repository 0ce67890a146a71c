using System.Text.RegularExpressions;
using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ALTER COLUMN TYPE in place, judged by what PostgreSQL does for the pair of types: widening
/// varchar(n), varchar to text, numeric(p,s) to a larger precision with the same scale, and timestamp to
/// timestamptz with the session in UTC (PostgreSQL 12 and later; silent when the migration set the time
/// zone to UTC before, a note otherwise) change only the catalog; anything else
/// rewrites the table under ACCESS EXCLUSIVE, and narrowing also fails on the running version's values.</summary>
public sealed partial class ChangeColumnTypeRule : HazardRule
{
    public override string Id => RuleIds.ChangeColumnType;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e =>
        {
            if (e.Kind != DdlKind.AlterColumnType || phase.IsNew(e) || e.Type is null)
            {
                return null;
            }

            string? before = phase.ColumnTypeBefore(e);
            var to = Parse(e.Type);
            if (before is null)
            {
                // The column's type now is unknown: only targets that are catalog-only from their usual source are noted.
                return to.Name is "text" or "varchar" || (to.Name == "timestamptz" && phase.PgVersion >= 12)
                    ? (Severity.Info, $"changes the type of {e.QualifiedTable}.{e.Column} to {e.Type}: no rewrite if it is {(to.Name == "timestamptz" ? "timestamp now and the session time zone is UTC" : "varchar or text now (and not longer than before)")}, otherwise a rewrite under ACCESS EXCLUSIVE")
                    : (Severity.Error, $"changes the type of {e.QualifiedTable}.{e.Column} to {e.Type} in place: a table rewrite under ACCESS EXCLUSIVE, and the running version's mapping may break ({Remedy(phase)})");
            }

            var from = Parse(before);
            var catalogOnly = CatalogOnly(from, to, phase.PgVersion);
            // Only a change that depends on the time zone looks for the migration's SET TIME ZONE.
            var zone = catalogOnly is null ? SessionInUtc(phase, e) : null;
            return catalogOnly switch
            {
                true => null,
                null when zone == true => null,
                null when zone == false => (Severity.Error, $"changes {e.QualifiedTable}.{e.Column} from {before} to {e.Type} with the session time zone set to one other than UTC: every row is rewritten under ACCESS EXCLUSIVE (SET timezone = 'UTC' first)"),
                null => (Severity.Info, $"changes {e.QualifiedTable}.{e.Column} from {before} to {e.Type}: no rewrite only when the session time zone is UTC"),
                false => (Severity.Error, $"changes {e.QualifiedTable}.{e.Column} from {before} to {e.Type} in place: {(Narrows(from, to) ? "values the running version writes that no longer fit fail, and every row is checked" : "a table rewrite")} under ACCESS EXCLUSIVE ({Remedy(phase)})"),
            };
        });

    /// <summary>Whether the last SET TIME ZONE before <paramref name="effect"/> in the migration chose UTC;
    /// null when the migration sets none (the server's or role's default then decides).</summary>
    private static bool? SessionInUtc(PhaseSql phase, DdlEffect effect) =>
        phase.Effects.TakeWhile(e => !ReferenceEquals(e, effect)).LastOrDefault(e => SetTimeZone().IsMatch(e.Sql)) is { } set
            ? UtcZone().IsMatch(set.Sql)
            : null;

    [GeneratedRegex(@"^\s*SET\s+(SESSION\s+|LOCAL\s+)?(TIME\s+ZONE|timezone)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SetTimeZone();

    [GeneratedRegex(@"(TIME\s+ZONE|timezone)\s*(=|TO)?\s*'?(UTC|Etc/UTC|GMT|Etc/GMT|Z|Zulu|UCT|0)'?\s*;?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UtcZone();

    private static string Remedy(PhaseSql phase) => phase.IsPlainMigration
        ? "add a column of the new type, keep it in sync with a trigger, backfill it in batches, then swap; Migrator's ChangeColumnType does this"
        : "use ChangeColumnType";

    private sealed record SqlType(string Name, int? Length, int? Scale);

    private static SqlType Parse(string type)
    {
        var m = TypeText().Match(type.Trim().ToLowerInvariant());
        string name = Regex.Replace(m.Groups["name"].Value.Trim(), @"\s+", " ");
        name = name switch
        {
            "character varying" or "varchar" => "varchar",
            "character" or "char" or "bpchar" => "char",
            "decimal" or "numeric" => "numeric",
            "timestamp with time zone" or "timestamptz" => "timestamptz",
            "timestamp without time zone" or "timestamp" => "timestamp",
            "int" or "integer" or "int4" => "int4",
            "bigint" or "int8" => "int8",
            "smallint" or "int2" => "int2",
            _ => name,
        };
        int? length = m.Groups["len"].Success ? int.Parse(m.Groups["len"].Value) : null;
        int? scale = m.Groups["scale"].Success ? int.Parse(m.Groups["scale"].Value) : (name == "numeric" && length is not null ? 0 : null);
        return new SqlType(name, length, scale);
    }

    /// <summary>True: catalog only. False: rewrite or scan. Null: depends on the session time zone.</summary>
    private static bool? CatalogOnly(SqlType from, SqlType to, int pgVersion) => (from.Name, to.Name) switch
    {
        var (a, b) when a == b && a is "varchar" or "numeric" or "char" && to.Length is null && to.Scale is null => a != "char",
        ("varchar", "varchar") => from.Length <= to.Length,
        ("numeric", "numeric") => from.Length is not null && from.Scale == to.Scale && from.Length <= to.Length,
        ("varchar" or "char", "text") => from.Name == "varchar",
        ("text", "varchar") => to.Length is null,
        ("timestamp", "timestamptz") => pgVersion >= 12 ? null : false,
        ("cidr", "inet") => true,
        var (a, b) when a == b => from.Length == to.Length && from.Scale == to.Scale,
        _ => false,
    };

    private static bool Narrows(SqlType from, SqlType to) =>
        from.Name == to.Name && to.Length is not null && (from.Length is null || to.Length < from.Length);

    [GeneratedRegex(@"^(?<name>[a-z_ ]+?)\s*(\(\s*(?<len>\d+)\s*(,\s*(?<scale>\d+)\s*)?\))?(\s*\[\s*\])?\s*$")]
    private static partial Regex TypeText();
}
