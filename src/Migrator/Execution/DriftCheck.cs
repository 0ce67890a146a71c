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

        var expected = BaselineFile.Parse(state.Snapshot, "the schema recorded in the ledger");
        var live = await SchemaReader.ReadAsync(ledger.Connection, ledger.Schema, cancellation);
        return new Result(true, state.After, state.RecordedAt, SchemaDrift.Compare(expected, live), mismatch);
    }

    /// <summary>The drift on the tables <paramref name="targets"/> alter.</summary>
    public static IReadOnlyList<DriftItem> Touching(IReadOnlyList<DriftItem> drift, IEnumerable<SchemaTarget> targets)
    {
        var tables = targets.Select(t => $"{t.Schema}.{t.Table}").ToHashSet(StringComparer.Ordinal);
        return [.. drift.Where(d => d.Table is not null && tables.Contains(d.Table))];
    }

    /// <summary>Records the live schema as the one Migrator now expects (after a phase it ran).</summary>
    public static async Task RecordAsync(LedgerStore ledger, string after, CancellationToken cancellation)
    {
        var live = await SchemaReader.ReadAsync(ledger.Connection, ledger.Schema, cancellation);
        await ledger.RecordSchemaStateAsync(after, BaselineFile.Serialize(live));
    }
}
