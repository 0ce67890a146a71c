using Migrator.Authoring.Operations;
using Migrator.Dialects.Postgres;
using Migrator.Ledger;
using Migrator.Schema;

namespace Migrator.Execution;

/// <summary>
/// Drift: how the live schema differs from the one Migrator expects, which is the schema as it stood
/// after the baseline or after the last phase Migrator ran (recorded in the ledger then), object by
/// object. A change made by hand since then shows up here with what was expected and what was found.
/// </summary>
public static class DriftCheck
{
    /// <summary>The outcome; <see cref="Recorded"/> is false when the ledger holds no schema to compare with
    /// (no baseline and no phase run by this release yet).</summary>
    public sealed record Result(bool Recorded, string? After, DateTime? RecordedAt, IReadOnlyList<DriftItem> Items, string? BaselineMismatch)
    {
        /// <summary>The recorded schema the drift was measured against.</summary>
        public IReadOnlyDictionary<string, SchemaFact>? Expected { get; init; }

        /// <summary>Every difference, not collapsed by relation (for <see cref="RecordAsync"/>).</summary>
        public IReadOnlyList<DriftItem> Raw { get; init; } = [];

        public string Summary => !Recorded
            ? "drift not checked: the ledger holds no recorded schema yet (adopt with `dotnet migrator baseline`, or run a phase)"
            : Items.Count == 0 ? $"no drift since {After} ({RecordedAt:yyyy-MM-dd HH:mm:ss} UTC)" : $"{Items.Count} difference(s) since {After} ({RecordedAt:yyyy-MM-dd HH:mm:ss} UTC)";
    }

    /// <summary>Reads the live schema and compares it with the recorded one; <paramref name="baselineText"/>
    /// is the project's baseline file, checked against the checksum recorded at adoption.</summary>
    public static async Task<Result> RunAsync(LedgerStore ledger, string? baselineText, CancellationToken cancellation)
    {
        string? mismatch = null;
        if (await ledger.BaselineAsync() is { } recorded && baselineText is not null && BaselineFile.Checksum(baselineText) != recorded.Checksum)
        {
            mismatch = $"the baseline file differs from the one recorded at adoption ({recorded.TakenAt:yyyy-MM-dd HH:mm} by {recorded.TakenBy}, sha256 {recorded.Checksum[..12]}): restore it, or adopt again with `dotnet migrator baseline --replace`";
        }

        if (await ledger.SchemaStateAsync() is not { } state)
        {
            return new Result(false, null, null, [], mismatch);
        }

        var expected = SchemaFacts.Parse(state.Snapshot);
        var live = SchemaFacts.Of(await SchemaReader.ReadAsync(ledger.Connection, ledger.Schema, cancellation));
        return new Result(true, state.After, state.RecordedAt, SchemaDrift.Compare(expected, live), mismatch)
        {
            Expected = expected,
            Raw = SchemaDrift.Compare(expected, live, collapse: false),
        };
    }

    /// <summary>
    /// The drift on what <paramref name="targets"/> alter: for a whole-table target, anything of the
    /// table (its partitions included); for a column target, the table's own shape (its partitions), the
    /// column itself, and any index, constraint, trigger or comment whose definition names the column.
    /// </summary>
    public static IReadOnlyList<DriftItem> Touching(IReadOnlyList<DriftItem> drift, IEnumerable<SchemaTarget> targets)
    {
        var list = targets.ToList();
        return [.. drift.Where(d => d.Table is not null && list.Any(t => $"{t.Schema}.{t.Table}" == d.Table && (t.Column is null
            || d.Object.StartsWith("table ", StringComparison.Ordinal)
            || d.Column == t.Column
            || Names(d.Expected, t.Column) || Names(d.Found, t.Column))))];
    }

    private static bool Names(string? definition, string column) =>
        definition is not null && System.Text.RegularExpressions.Regex.IsMatch(definition,
            $@"(?<![\w$""]){System.Text.RegularExpressions.Regex.Escape(column)}(?![\w$""])|""{System.Text.RegularExpressions.Regex.Escape(column.Replace("\"", "\"\"", StringComparison.Ordinal))}""");

    /// <summary>Records the schema Migrator now expects after a phase it ran: the live one, with the drift
    /// found before the phase (<paramref name="before"/>) kept as drift.</summary>
    public static async Task RecordAsync(LedgerStore ledger, string after, Result? before, CancellationToken cancellation)
    {
        var live = SchemaFacts.Of(await SchemaReader.ReadAsync(ledger.Connection, ledger.Schema, cancellation));
        var expected = before?.Expected is { } was ? SchemaDrift.KeepDrift(live, before.Raw, was) : live;
        await ledger.RecordSchemaStateAsync(after, SchemaFacts.Serialize(expected));
    }
}
