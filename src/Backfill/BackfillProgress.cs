namespace Migrator.Backfill;

/// <summary>Where a running backfill is.</summary>
/// <param name="RowsDone">Rows updated so far (across runs, from the checkpoint).</param>
/// <param name="EstimatedTotal">Rows in the table according to pg_class.reltuples (an estimate).</param>
/// <param name="Batches">Batches committed by this run.</param>
/// <param name="Pass">Pass over the table, from 1.</param>
/// <param name="LastKey">Key of the checkpoint.</param>
public sealed record BackfillProgress(long RowsDone, long EstimatedTotal, long Batches, int Pass, string? LastKey)
{
    /// <summary>Rows the last batch was sized for (its key range).</summary>
    public int BatchSize { get; init; }

    /// <summary>How long the last batch took.</summary>
    public TimeSpan Took { get; init; }

    /// <summary>The pause the pacing chose after the last batch.</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>The share of time batches may run (1 = back to back).</summary>
    public double Duty { get; init; } = 1;

    /// <summary>True while the impact-aware pacing sees the app.</summary>
    public bool AppPresent { get; init; }

    /// <summary>True while the app is there but light (<see cref="BackfillPacer"/>: a statement of its in
    /// flight at most once in the last ten looks): batches may run all of the time.</summary>
    public bool AppLight { get; init; }

    /// <summary>True while the app is there and all of its connections come from other hosts
    /// (<see cref="BackfillPacer.AppRemote"/>): a busy app's duty ceiling is m/2, not m/4.</summary>
    public bool AppRemote { get; init; }

    /// <summary>True when the last batch ran as a plain key-range UPDATE (<see cref="KeyRangeStatement"/>);
    /// false when it locked its rows with SKIP LOCKED first (<see cref="BatchStatement"/>).</summary>
    public bool KeyRange { get; init; }

    /// <summary>True when the last batch was redone in the SKIP LOCKED form after the key-range form gave
    /// up (a row the app held, its statement_timeout, or a cancel: <see cref="FellBackOn"/>).</summary>
    public bool FellBack => FellBackOn is not null;

    /// <summary>Why the last batch's key-range form gave up (null when it did not).</summary>
    public FallbackReason? FellBackOn { get; init; }

    /// <summary>What the app saw of the last batch (null when the pacing is off).</summary>
    public ImpactSummary? Impact { get; init; }
}
