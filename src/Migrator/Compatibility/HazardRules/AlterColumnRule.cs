using System.Text.RegularExpressions;
using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>
/// SQL Server: ALTER TABLE … ALTER COLUMN holds a schema-modification lock (no reader or writer gets
/// through) for as long as it takes. Widening a varchar, nvarchar or varbinary is a metadata change;
/// any other type change, a shrink, or NOT NULL reads every row (and a storage change rewrites it).
/// </summary>
public sealed partial class AlterColumnRule : HazardRule
{
    public override string Id => RuleIds.AlterColumn;

    public override IEnumerable<Finding> Check(PhaseSql phase) => Each(phase, e =>
    {
        if (phase.IsNew(e))
        {
            return null;
        }

        if (e.Kind == DdlKind.SetNotNull && e.Sql.Contains("ALTER COLUMN", StringComparison.OrdinalIgnoreCase))
        {
            return (Severity.Error, $"sets {e.QualifiedTable}.{e.Column} NOT NULL with ALTER COLUMN: every row is read under a schema-modification lock (add CHECK ({e.Column} IS NOT NULL) WITH NOCHECK, then WITH CHECK CHECK CONSTRAINT: the SetNotNull operation)");
        }

        if (e.Kind != DdlKind.AlterColumnType || e.Type is null)
        {
            return null;
        }

        string? before = phase.ColumnTypeBefore(e);
        if (before is not null && (Same(before, e.Type) || Widens(before, e.Type)))
        {
            return null;
        }

        string from = before is null ? "" : $" from {before}";
        return before is null
            ? (Severity.Warning, $"changes the type of {e.QualifiedTable}.{e.Column} to {e.Type}: unless it only widens a varchar, nvarchar or varbinary, every row is read (and rewritten when the storage changes) under a schema-modification lock (the ChangeColumnType operation adds a column and backfills it)")
            : (Severity.Error, $"changes the type of {e.QualifiedTable}.{e.Column}{from} to {e.Type}: every row is read (and rewritten when the storage changes) under a schema-modification lock, and no reader or writer gets through (the ChangeColumnType operation adds a column and backfills it)");
    });

    private static bool Same(string a, string b) => Normal(a) == Normal(b);

    /// <summary>varchar(n) → varchar(m), m ≥ n (nvarchar, varbinary alike): metadata only.</summary>
    private static bool Widens(string before, string after)
    {
        var a = Sized().Match(Normal(before));
        var b = Sized().Match(Normal(after));
        return a.Success && b.Success && a.Groups["t"].Value == b.Groups["t"].Value
            && int.Parse(b.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) >= int.Parse(a.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Normal(string type) => Regex.Replace(type.ToLowerInvariant(), @"[\s\[\]]", "");

    [GeneratedRegex(@"^(?<t>varchar|nvarchar|varbinary)\((?<n>\d+)\)$")]
    private static partial Regex Sized();
}
