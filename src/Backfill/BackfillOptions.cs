namespace Migrator.Backfill;

/// <summary>How a backfill runs.</summary>
/// <param name="BatchSize">Rows per batch (one short transaction each); with
/// <see cref="TargetBatchDuration"/>, the size of the first batch.</param>
/// <param name="LockTimeout">lock_timeout of each batch; a batch that hits it is retried.</param>
/// <param name="MaxPasses">Passes over the table before giving up on rows that stay pending (a pass
/// after the first picks up rows written behind the cursor, or skipped because the app held their lock).</param>
/// <param name="LockRetries">Attempts per batch on lock_not_available.</param>
public sealed record BackfillOptions(int BatchSize = 1000, TimeSpan? LockTimeout = null, int MaxPasses = 50, int LockRetries = 20)
{
    public TimeSpan EffectiveLockTimeout => LockTimeout ?? TimeSpan.FromMilliseconds(500);

    /// <summary>Batches run as a plain key-range UPDATE where <see cref="BatchForm"/> allows it (true), or
    /// always lock their rows with SKIP LOCKED first (false: tests and the A/B bench).</summary>
    internal bool KeyRangeBatches { get; init; } = true;

    /// <summary>When set, each batch is sized from the last one's duration to take about this long
    /// (a batch holds its row locks for its whole duration: this bounds what an app write may wait).</summary>
    public TimeSpan? TargetBatchDuration { get; init; }

    /// <summary>Passes in a row that update nothing while rows stay pending (they are locked by other
    /// transactions) before giving up; the wait between them doubles from 100 ms to 2 s.</summary>
    public int MaxIdlePasses { get; init; } = 10;

    /// <summary>Bounds of an adapted batch size.</summary>
    public int MinBatchSize { get; init; } = 50;

    public int MaxBatchSize { get; init; } = 50_000;

    /// <summary>When set, the run sleeps after each batch as needed so rows per second stay at or under it.</summary>
    public double? MaxRowsPerSecond { get; init; }

    /// <summary>When set, no batch starts while a replica's replay lag (pg_stat_replication.replay_lag)
    /// is above it: the run waits until the replica catches up.</summary>
    public TimeSpan? MaxReplicaLag { get; init; }

    /// <summary>The replica (its application_name in pg_stat_replication) whose lag
    /// <see cref="MaxReplicaLag"/> bounds; null for the most lagging of all.</summary>
    public string? Replica { get; init; }

    /// <summary>
    /// Keeps the table's own triggers (an audit or last_update trigger) from firing on the rows a batch
    /// updates: each batch runs with <c>SET LOCAL session_replication_role = replica</c>, which only
    /// the batch's own transaction sees (the app's writes fire every trigger as before). Migrator's sync
    /// trigger leaves backfill writes alone anyway. Needs a superuser in PostgreSQL 15; foreign-key
    /// checks of the batch's writes are skipped too, which the contract's validation and `gate`'s
    /// preconditions catch.
    /// </summary>
    public bool SkipUserTriggers { get; init; }

    /// <summary>
    /// Impact-aware pacing, on by default (2). Every batch looks at the app just before it commits
    /// (<see cref="AppImpact"/>): while other client connections are busy, batches shrink and the backfill
    /// rests between them (unless the app is light: no statement of its in flight at nearly every look),
    /// and it backs off further whenever the app waits on a batch's locks or the
    /// <see cref="LatencyProbe"/> goes over this many times its idle time (<see cref="BackfillPacer"/> gives
    /// the rules). Larger trades more app impact for speed; null turns the pacing off (batches back to back).
    /// </summary>
    public double? MaxAppImpact { get; init; } = 2;

    /// <summary>A statement of the app's (read-only, e.g. its hottest query) timed on a connection of its
    /// own while each batch runs, against its time before the backfill; one statement, run in a read-only
    /// transaction that is rolled back, with a 2 s statement_timeout.</summary>
    public string? LatencyProbe { get; init; }

    /// <summary>A pause after every batch (lets replicas and autovacuum keep up).</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Throws a bad-input <see cref="BackfillException"/> for settings that make no sense.</summary>
    public void Validate()
    {
        if (BatchSize <= 0)
        {
            throw new BackfillException($"batch size must be positive (got {BatchSize})", isBadInput: true);
        }

        if (MinBatchSize <= 0 || MaxBatchSize < MinBatchSize)
        {
            throw new BackfillException($"batch size bounds must satisfy 0 < min <= max (got {MinBatchSize}..{MaxBatchSize})", isBadInput: true);
        }

        if (TargetBatchDuration is { } target && target <= TimeSpan.Zero)
        {
            throw new BackfillException("the target batch duration must be positive", isBadInput: true);
        }

        if (MaxRowsPerSecond is { } rate && (!double.IsFinite(rate) || rate <= 0))
        {
            throw new BackfillException($"--max-rows-per-second must be positive (got {MaxRowsPerSecond})", isBadInput: true);
        }

        if (MaxReplicaLag is { } lag && lag <= TimeSpan.Zero)
        {
            throw new BackfillException("--max-replica-lag must be positive", isBadInput: true);
        }

        if (MaxAppImpact is { } impact && (!double.IsFinite(impact) || impact < 1))
        {
            throw new BackfillException($"--max-app-impact must be at least 1 (the app's idle latency), or off (got {impact})", isBadInput: true);
        }

        if (LatencyProbe is not null && MaxAppImpact is null)
        {
            throw new BackfillException("--latency-probe needs the impact-aware pacing: drop --max-app-impact off", isBadInput: true);
        }

        if (LatencyProbe is { } probe && string.IsNullOrWhiteSpace(probe))
        {
            throw new BackfillException("--latency-probe is empty", isBadInput: true);
        }

        if (BatchDelay < TimeSpan.Zero)
        {
            throw new BackfillException("--batch-delay must not be negative", isBadInput: true);
        }
    }
}
