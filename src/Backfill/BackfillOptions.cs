namespace Migrator.Backfill;

/// <summary>How a backfill runs.</summary>
/// <param name="BatchSize">Rows per batch (one short transaction each).</param>
/// <param name="LockTimeout">lock_timeout of each batch; a batch that hits it is retried.</param>
/// <param name="MaxPasses">Passes over the table before giving up on rows that stay pending
/// (a pass after the first picks up rows written behind the cursor).</param>
/// <param name="LockRetries">Attempts per batch on lock_not_available.</param>
public sealed record BackfillOptions(int BatchSize = 1000, TimeSpan? LockTimeout = null, int MaxPasses = 5, int LockRetries = 20)
{
    public TimeSpan EffectiveLockTimeout => LockTimeout ?? TimeSpan.FromMilliseconds(500);
}
