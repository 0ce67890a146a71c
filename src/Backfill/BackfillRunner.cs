using System.Diagnostics;
using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// Runs a <see cref="BackfillSpec"/> in keyset batches on its key: each batch is one short
/// transaction whose one statement locks the next pending rows after the checkpoint in key order
/// (<c>key &gt; last … ORDER BY key LIMIT n FOR NO KEY UPDATE SKIP LOCKED</c>, an index range scan), updates
/// them, and saves the highest key as the checkpoint in the same transaction. The batch marks itself with <c>SET LOCAL migrator.backfill = 'on'</c> so sync
/// triggers leave its writes alone. When a pass reaches the end of the key space, one query reads the
/// table for pending rows (up to a batch's worth of keys): none proves the backfill complete; fewer than
/// a batch (rows written behind the cursor, rows the app held locked) are done by their keys, in one
/// batch that is the next pass; more start another pass over the key space.
/// </summary>
public sealed class BackfillRunner(System.Data.Common.DbConnection dbConnection, CheckpointStore checkpoints, BackfillOptions options)
{
    /// <summary>The runner takes any ADO.NET connection so the engine above it needs no driver types; this
    /// is PostgreSQL's backfill, and the connection must be Npgsql's.</summary>
    private readonly NpgsqlConnection connection = dbConnection as NpgsqlConnection
        ?? throw new ArgumentException($"the PostgreSQL backfill needs an Npgsql connection, not {dbConnection.GetType().Name}", nameof(dbConnection));

    /// <summary>Called while the run waits for a lagging replica, with the lag it read.</summary>
    public Action<TimeSpan>? ReplicaWaiting { get; init; }

    /// <summary>Opens the latency probe's connection (default: a clone of the runner's connection).</summary>
    public Func<CancellationToken, Task<NpgsqlConnection>>? ProbeConnection { get; init; }

    /// <summary>
    /// True when workers (<see cref="ParallelBackfill"/>) have walked the table's key space for this change
    /// before this run, which is their final pass: a run that would start a pass from the first key starts
    /// at the end of the key space instead, and reads the table once for the rows they left
    /// (<see cref="BackfillTarget.PendingKeysAsync"/>), as every pass ends.
    /// </summary>
    public bool AfterWorkers { get; init; }

    private LatencyProbe? _probe;

    /// <summary>
    /// Runs the backfill. A partitioned table (sub-partitions too) or a table with inheritance
    /// children is done one storage table at a time (<see cref="BackfillTarget.SegmentsAsync"/>): a
    /// ctid names a row only inside one table, so each batch reads and updates the ctids of one
    /// segment, with that segment's own key index and its own checkpoint. The table's own checkpoint
    /// is completed once no row of the whole tree is pending.
    /// </summary>
    public async Task<BackfillResult> RunAsync(long changeId, BackfillSpec spec, IProgress<BackfillProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        await using var probe = await LatencyProbe.StartAsync(ProbeConnection ?? CloneAsync, options, cancellation);
        _probe = probe;
        try
        {
            return await RunTreeAsync(changeId, spec, progress, cancellation);
        }
        finally
        {
            _probe = null;
        }
    }

    private async Task<NpgsqlConnection> CloneAsync(CancellationToken cancellation)
    {
        // CloneWith keeps the password, which ConnectionString no longer shows once the connection is open.
        var clone = connection.CloneWith(connection.ConnectionString);
        await clone.OpenAsync(cancellation);
        return clone;
    }

    private async Task<BackfillResult> RunTreeAsync(long changeId, BackfillSpec spec, IProgress<BackfillProgress>? progress, CancellationToken cancellation)
    {
        var segments = await BackfillTarget.SegmentsAsync(connection, spec);
        if (segments.Count == 0)
        {
            return await RunSegmentAsync(changeId, spec, progress, cancellation);
        }

        var whole = await BackfillTarget.ResolveAsync(connection, spec, keyRequired: false);
        var existing = await checkpoints.ReadAsync(connection, changeId, whole.Name);
        if (existing is { Completed: true } && !await whole.AnyPendingAsync(connection))
        {
            return new BackfillResult(0, 0, AlreadyComplete: true);
        }

        long updated = 0, batches = 0;
        bool allComplete = true;
        foreach (var segment in segments)
        {
            var result = await RunSegmentAsync(changeId, segment, progress, cancellation);
            updated += result.RowsUpdated;
            batches += result.Batches;
            allComplete &= result.AlreadyComplete;
        }

        if (await whole.AnyPendingAsync(connection))
        {
            throw new BackfillException($"{whole.Name}: rows are still pending after every partition was done (rows moved between partitions?); run backfill again", isBadInput: false);
        }

        // The table's own row sums its partitions' rows and has no pass of its own (passes 0).
        await checkpoints.SaveAsync(connection, null, changeId, whole.Name, new Checkpoint(null, 0, 0, Completed: true), updated);
        return new BackfillResult(updated, batches, AlreadyComplete: allComplete);
    }

    private async Task<BackfillResult> RunSegmentAsync(long changeId, BackfillSpec spec, IProgress<BackfillProgress>? progress, CancellationToken cancellation)
    {
        var target = await BackfillTarget.ResolveAsync(connection, spec);
        var checkpoint = await checkpoints.ReadAsync(connection, changeId, target.Name)
            ?? new Checkpoint(null, 0, 1, false);
        if (checkpoint.Completed && !await target.AnyPendingAsync(connection))
        {
            return new BackfillResult(0, 0, AlreadyComplete: true);
        }

        long total = await target.EstimateRowsAsync(connection);
        long updated = 0, batches = 0;
        string? last = checkpoint.Completed ? null : checkpoint.LastKey;
        int pass = checkpoint.Completed ? 1 : checkpoint.Passes;
        long rowsDone = checkpoint.RowsDone;
        // Per batch: the batch's transaction, and the probe's (rolled back) where there is one.
        var pacer = new BackfillPacer(options) { OwnTransactionsPerBatch = _probe is null ? 1 : 2 };
        var form = await BatchForm.ReadAsync(connection, options, cancellation);
        long rowsAtPassStart = rowsDone;
        int idlePasses = 0;
        // After workers, a run with no checkpoint of its own starts at the end of the key space: the workers
        // walked every key, and the rows they left are found by reading the table once.
        bool atEnd = AfterWorkers && last is null;
        IReadOnlyList<string>? stragglers = null;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!atEnd || stragglers is not null)
            {
                await ReplicaLag.WaitAsync(connection, options, ReplicaWaiting, cancellation);
                int size = stragglers?.Count ?? pacer.BatchSize;
                var clock = Stopwatch.StartNew();
                // The probe runs while the batch does, on its own connection.
                var probing = _probe?.MeasureAsync(cancellation);
                // A stop (Ctrl-C, SIGTERM) is honoured between batches: the batch under way commits with its
                // checkpoint, so the run stops at a batch boundary.
                var batch = await RunBatchWithRetriesAsync(changeId, target, last, rowsDone, pass, size, form, stragglers, CancellationToken.None);
                if (batch is { } done)
                {
                    var took = clock.Elapsed;
                    var impact = done.Impact;
                    if (probing is not null && impact is not null)
                    {
                        var (ratio, failed) = await probing;
                        impact = impact with { ProbeRatio = ratio, Failed = failed };
                    }

                    // A batch over the stragglers leaves the pass where it was: at the end of the key space.
                    last = stragglers is null ? done.High : null;
                    updated += done.Rows;
                    rowsDone += done.Rows;
                    batches++;
                    form.Ran(took, done.FellBack, done.KeyRange, done.Rows, size);
                    var wait = pacer.Done(done.Rows, took, impact, stragglers is null && done.Full);
                    progress?.Report(new BackfillProgress(rowsDone, total, batches, pass, last)
                    {
                        BatchSize = size,
                        Took = took,
                        Pause = wait,
                        Duty = pacer.Duty,
                        AppPresent = pacer.AppPresent,
                        AppLight = pacer.AppLight,
                        AppRemote = pacer.AppRemote,
                        Impact = impact,
                        KeyRange = done.KeyRange,
                        FellBackOn = done.FellBackOn,
                    });
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellation);
                    }

                    // A batch short of its size reached the end of the pass: fewer keys (or pending rows) were
                    // left than it was sized for. Going on would chase rows the app inserts at the end of the
                    // key space; those are the next pass's, if they are pending at all.
                    if (stragglers is null && done.Full)
                    {
                        continue;
                    }
                }
                else if (probing is not null)
                {
                    await probing;
                }
            }

            // End of the key space: prove nothing is left, or go round again for rows written behind
            // us or skipped because the app held their lock. Fewer of them than a batch holds are done by
            // their keys (the next pass is that one batch); more, by walking the key space again.
            int limit = pacer.BatchSize;
            var left = await target.PendingKeysAsync(connection, limit);
            if (left.Count == 0)
            {
                await checkpoints.SaveAsync(connection, null, changeId, target.Name, new Checkpoint(last, rowsDone, pass, Completed: true), rowsAdded: 0);
                progress?.Report(new BackfillProgress(rowsDone, total, batches, pass, last) { BatchSize = pacer.BatchSize });
                return new BackfillResult(updated, batches, AlreadyComplete: false);
            }

            // The look that starts a run after workers is not the end of a pass of this run's.
            if (!atEnd || stragglers is not null)
            {
                idlePasses = rowsDone == rowsAtPassStart ? idlePasses + 1 : 0;
                if (pass >= options.MaxPasses || idlePasses >= options.MaxIdlePasses)
                {
                    throw new BackfillException(
                        $"{target.Name}: rows still match the pending predicate after {pass} passes ({idlePasses} in a row changed nothing): other transactions hold their locks, or the SET leaves them pending; run backfill again",
                        isBadInput: false);
                }

                if (idlePasses > 0)
                {
                    // Only locked rows are left: give their holders time before looking again.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, idlePasses - 1))), cancellation);
                }

                pass++;
            }

            atEnd = left.Count < limit;
            stragglers = atEnd ? left : null;
            last = null;
            rowsAtPassStart = rowsDone;
            await checkpoints.SaveAsync(connection, null, changeId, target.Name, new Checkpoint(null, rowsDone, pass, Completed: false), rowsAdded: 0);
        }
    }

    /// <summary>The table's rows as the planner estimates them (pg_class.reltuples, its partitions and
    /// children summed), as the progress reports use.</summary>
    public static async Task<long> EstimateRowsAsync(System.Data.Common.DbConnection connection, BackfillSpec spec) =>
        await (await BackfillTarget.ResolveAsync((NpgsqlConnection)connection, spec, keyRequired: false)).EstimateRowsAsync((NpgsqlConnection)connection);

    /// <summary>The completion check: true when no row of the table matches the spec's pending predicate.</summary>
    public static async Task<bool> IsCompleteAsync(System.Data.Common.DbConnection connection, BackfillSpec spec)
    {
        var npgsql = (NpgsqlConnection)connection;
        var target = await BackfillTarget.ResolveAsync(npgsql, spec, keyRequired: false);
        return !await target.AnyPendingAsync(npgsql);
    }

    /// <param name="stragglers">The keys of a batch over the rows a pass left (null for the next keys after
    /// <paramref name="last"/>): its checkpoint stays at the start of the pass, which a resumed run walks.</param>
    private Task<Batch.Outcome?> RunBatchWithRetriesAsync(long changeId, BackfillTarget target, string? last, long rowsDone, int pass, int size, BatchForm form, IReadOnlyList<string>? stragglers, CancellationToken cancellation) =>
        Batch.RunAsync(connection, options, target, last, upper: null, size,
            (high, rows) => checkpoints.SaveCommand(changeId, target.Name, new Checkpoint(stragglers is null ? high : null, rowsDone + rows, pass, Completed: false), rows),
            cancellation,
            _probe is null ? null : [_probe.ProcessId],
            form,
            stragglers);
}
