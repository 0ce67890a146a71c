using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// Which statement the next batch runs: the key-range UPDATE (<see cref="KeyRangeStatement"/>, cheaper)
/// or the SKIP LOCKED form (<see cref="BatchStatement"/>, which never waits for a row the app holds).
/// <list type="bullet">
/// <item>The key-range form waits for a row the app holds, so it runs with a lock_timeout of
/// <see cref="LockTimeout"/>: an app write to the batch's rows waits that much longer at most, and a
/// batch that meets an app transaction sitting on a row gives up at once and is redone in the SKIP
/// LOCKED form (<see cref="Batch"/>), which is then kept for the next <see cref="LockedAfterFallback"/>
/// batches.</item>
/// <item>It never makes the app a deadlock victim. PostgreSQL looks for a deadlock only in a
/// transaction that has waited <c>deadlock_timeout</c>; the key-range statement runs with a
/// statement_timeout of half of it (<see cref="StatementTimeout"/>, read from the server at the start),
/// so an app write that waits on one of its rows has waited less than that when the batch commits or
/// gives up, whatever the batch waited for meanwhile. A batch that runs out of it is redone in the SKIP
/// LOCKED form too. The key-range form is only tried while the last batch took under a quarter of
/// <c>deadlock_timeout</c>, so that a batch sized for longer does not start one it would throw away.</item>
/// <item>A key-range batch covers keys, pending or not; where fewer than half of them were pending, the
/// SKIP LOCKED form, which reads only pending rows, takes over for the next
/// <see cref="LockedAfterFallback"/> batches.</item>
/// </list>
/// </summary>
internal sealed class BatchForm
{
    /// <summary>The key-range statement's lock_timeout.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>Batches in the SKIP LOCKED form after a key-range batch gave up.</summary>
    public const int LockedAfterFallback = 20;

    /// <summary>The least deadlock_timeout the key-range form runs under (its statement_timeout is half).</summary>
    private static readonly TimeSpan MinDeadlockTimeout = TimeSpan.FromMilliseconds(100);

    private readonly TimeSpan _deadlockTimeout;
    private readonly bool _enabled;
    private int _locked;
    private TimeSpan _lastTook;

    public BatchForm(TimeSpan deadlockTimeout, bool enabled = true)
    {
        _deadlockTimeout = deadlockTimeout;
        _enabled = enabled && deadlockTimeout >= MinDeadlockTimeout;
    }

    /// <summary>The form for this run's batches, from the server's deadlock_timeout.</summary>
    public static async Task<BatchForm> ReadAsync(NpgsqlConnection connection, BackfillOptions options, CancellationToken cancellation = default)
    {
        await using var command = new NpgsqlCommand("SELECT setting::bigint FROM pg_settings WHERE name = 'deadlock_timeout'", connection);
        long milliseconds = await command.ExecuteScalarAsync(cancellation) is long ms ? ms : 0;
        return new BatchForm(TimeSpan.FromMilliseconds(milliseconds), options.KeyRangeBatches);
    }

    /// <summary>True when the next batch runs in the key-range form.</summary>
    public bool KeyRange => _enabled && _locked == 0 && _lastTook < _deadlockTimeout / 4;

    /// <summary>The key-range statement's statement_timeout: half of deadlock_timeout.</summary>
    public TimeSpan StatementTimeout => _deadlockTimeout / 2;

    /// <summary>Records a committed batch: how long it took, whether it was redone in the SKIP LOCKED form
    /// after the key-range form gave up, and, for a key-range batch, the rows it updated of the
    /// <paramref name="size"/> keys it covered. Fewer than half of them pending is a sparse stretch (the
    /// app filled most rows already, or a later pass looking for stragglers): the SKIP LOCKED form, which
    /// goes straight to pending rows, is used for the next <see cref="LockedAfterFallback"/> batches.</summary>
    public void Ran(TimeSpan took, bool fellBack, bool keyRange = false, long rows = 0, int size = 0)
    {
        _lastTook = took;
        _locked = fellBack || (keyRange && rows * 2 < size) ? LockedAfterFallback : Math.Max(0, _locked - 1);
    }
}
