namespace Migrator.Execution;

/// <summary>How DDL runs: lock_timeout per statement and retries with backoff and jitter.</summary>
public sealed record ExecutionOptions(TimeSpan LockTimeout, int LockRetries)
{
    public static ExecutionOptions Default { get; } = new(TimeSpan.FromMilliseconds(500), 10);

    /// <summary>How long a step may wait, in all, for an autovacuum worker that holds its table's lock
    /// and that this role may not cancel; those waits spend no retries.</summary>
    public TimeSpan AutovacuumWait { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Delay before retry <paramref name="attempt"/> (1-based): exponential from 100 ms,
    /// capped at 5 s, with full jitter so that several migrators never retry in step.</summary>
    public TimeSpan Backoff(int attempt)
    {
        double cap = Math.Min(5000, 100 * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2));
    }
}
