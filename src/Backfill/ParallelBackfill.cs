using System.Diagnostics;
using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// Several workers, in this process or in others on other machines, sharing one backfill with no
/// coordinator but the database: the key space is split once into ranges stored in the ledger
/// (backfill_ranges), and each worker claims the next open range with FOR UPDATE SKIP LOCKED and a
/// lease (a heartbeat written with every batch). A range whose worker died is taken over once its
/// lease expires, from the range's own checkpoint, which every batch saves in its transaction. When no
/// range is left, <see cref="BackfillRunner"/> (with <see cref="BackfillRunner.AfterWorkers"/>) makes the
/// final pass: it reads the table once for what the ranges left (rows written behind a cursor, rows the
/// app held locked), does those rows by their keys, and proves nothing is pending.
/// </summary>
public sealed class ParallelBackfill(Func<CancellationToken, Task<System.Data.Common.DbConnection>> open, string ledgerSchema, BackfillOptions options)
{
    /// <summary>Each worker's connection, Npgsql's (this is PostgreSQL's backfill).</summary>
    private readonly Func<CancellationToken, Task<NpgsqlConnection>> connect = async cancellation => (NpgsqlConnection)await open(cancellation);

    private readonly Lock _report = new();
    private readonly string _ranges = "\"" + ledgerSchema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\".backfill_ranges";
    private readonly string _pacing = "\"" + ledgerSchema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\".backfill_pacing";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> _ours = new();

    /// <summary>How long a claimed range stays with a worker that has stopped writing its heartbeat.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Name of this process in the ledger (claimed_by, done_by).</summary>
    public string Process { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Runs <paramref name="workers"/> workers until every range is done; returns the rows this process updated.</summary>
    public async Task<long> RunAsync(long changeId, BackfillSpec spec, int workers, IProgress<BackfillProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (workers < 1)
        {
            throw new BackfillException($"--workers must be at least 1 (got {workers})", isBadInput: true);
        }

        options.Validate();
        IReadOnlyList<BackfillSpec> segments;
        await using (var connection = await connect(cancellation))
        {
            segments = await BackfillTarget.SegmentsAsync(connection, spec);
        }

        if (segments.Count > 0)
        {
            // A partitioned table: each storage table gets its own ranges (a ctid is only unique within one).
            long sum = 0;
            foreach (var segment in segments)
            {
                sum += await RunAsync(changeId, segment, workers, progress, cancellation);
            }

            return sum;
        }

        // One latency probe for the process: a worker times it while its batch runs, when no other worker is.
        await using var probe = await LatencyProbe.StartAsync(connect, options, cancellation);
        if (probe is not null)
        {
            _ours[probe.ProcessId] = true;
        }

        BackfillTarget target;
        long total;
        await using (var connection = await connect(cancellation))
        {
            target = await BackfillTarget.ResolveAsync(connection, spec);
            total = await target.EstimateRowsAsync(connection);
            await EnsureRangesAsync(connection, changeId, target, workers * 4, total);
        }

        long done = 0;
        var perWorker = options with { };
        if (options.MaxRowsPerSecond is { } rate)
        {
            perWorker = options with { MaxRowsPerSecond = rate / workers };
        }

        var tasks = Enumerable.Range(1, workers).Select(n => Task.Run(async () =>
        {
            await using var connection = await connect(cancellation);
            _ours[connection.ProcessID] = true;
            await AppImpact.NameWorkerAsync(connection, cancellation);

            await WorkAsync(connection, probe, $"{Process}:{n}", changeId, target, perWorker, rows =>
            {
                long sum = Interlocked.Add(ref done, rows);
                lock (_report)
                {
                    progress?.Report(new BackfillProgress(sum, total, 0, 1, null));
                }
            }, cancellation);
        }, cancellation)).ToList();
        await Task.WhenAll(tasks);
        return done;
    }

    private async Task EnsureRangesAsync(NpgsqlConnection connection, long changeId, BackfillTarget target, int count, long estimate)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await using (var exclusive = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('migrator ranges ' || @c || ' ' || @t, 0))", connection, tx))
        {
            exclusive.Parameters.AddWithValue("c", changeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            exclusive.Parameters.AddWithValue("t", target.Name);
            await exclusive.ExecuteNonQueryAsync();
        }

        await using (var exists = new NpgsqlCommand($"SELECT count(*) FROM {_ranges} WHERE change_id = @c AND table_name = @t", connection, tx))
        {
            exists.Parameters.AddWithValue("c", changeId);
            exists.Parameters.AddWithValue("t", target.Name);
            if ((long)(await exists.ExecuteScalarAsync())! > 0)
            {
                await tx.CommitAsync();
                return;
            }
        }

        // Boundaries every estimate/count keys, walking the key index once.
        long step = Math.Max(1, estimate / count);
        var bounds = new List<string?> { null };
        for (int i = 1; i < count; i++)
        {
            string? next = await target.KeyAfterAsync(connection, tx, bounds[^1], step);
            if (next is null)
            {
                break;
            }

            bounds.Add(next);
        }

        for (int i = 0; i < bounds.Count; i++)
        {
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {_ranges} (change_id, table_name, range_no, low_key, high_key) VALUES (@c, @t, @n, @low, @high)", connection, tx);
            insert.Parameters.AddWithValue("c", changeId);
            insert.Parameters.AddWithValue("t", target.Name);
            insert.Parameters.AddWithValue("n", i + 1);
            insert.Parameters.AddWithValue("low", (object?)bounds[i] ?? DBNull.Value);
            insert.Parameters.AddWithValue("high", i + 1 < bounds.Count ? bounds[i + 1]! : DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    private async Task WorkAsync(NpgsqlConnection connection, LatencyProbe? probe, string worker, long changeId, BackfillTarget target, BackfillOptions pacing, Action<long> done, CancellationToken cancellation)
    {
        // Per batch: the batch's transaction, the budget's update with the pacing on, and the shared
        // probe's where there is one (timed by one worker at a time: counted for each, erring low on the app).
        var pacer = new BackfillPacer(pacing) { OwnTransactionsPerBatch = 1 + (pacing.MaxAppImpact is null ? 0 : 1) + (probe is null ? 0 : 1) };
        var form = await BatchForm.ReadAsync(connection, pacing, cancellation);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var range = await ClaimAsync(connection, worker, changeId, target.Name);
            if (range is null)
            {
                if (!await AnyOpenAsync(connection, changeId, target.Name))
                {
                    return;
                }

                // Ranges still held by live workers elsewhere: wait, and take over any whose lease runs out.
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
                continue;
            }

            var (number, upper, start) = range.Value;
            string? last = start;
            while (true)
            {
                await ReplicaLag.WaitAsync(connection, pacing, null, cancellation);
                var clock = Stopwatch.StartNew();
                var probing = probe?.TryMeasureAsync(cancellation);
                Batch.Outcome? batch = null;
                int size = pacer.BatchSize;
                try
                {
                    batch = await Batch.RunAsync(connection, pacing, target, last, upper, size, (high, rows) => new NpgsqlBatchCommand(
                        $"UPDATE {_ranges} SET last_key = @high, rows_done = rows_done + @rows, heartbeat = now() WHERE change_id = @c AND table_name = @t AND range_no = @n AND claimed_by = @w")
                    {
                        Parameters =
                        {
                            new NpgsqlParameter("high", high),
                            new NpgsqlParameter("rows", rows),
                            new NpgsqlParameter("c", changeId),
                            new NpgsqlParameter("t", target.Name),
                            new NpgsqlParameter("n", number),
                            new NpgsqlParameter("w", worker),
                        },
                    }, cancellation, [.. _ours.Keys.Where(pid => pid != connection.ProcessID)], form);
                }
                catch (Batch.CheckpointLost)
                {
                    if (probing is not null)
                    {
                        await probing;
                    }

                    break; // another worker took the range over after this one's lease ran out (the save touched no row)
                }

                if (probing is not null && await probing is { } measured && batch is { Impact: { } seen } current)
                {
                    batch = current with { Impact = seen with { ProbeRatio = measured.Ratio, Failed = measured.Failed } };
                }

                if (batch is not { } b)
                {
                    await FinishAsync(connection, worker, changeId, target.Name, number);
                    break;
                }

                last = b.High;
                done(b.Rows);
                var took = clock.Elapsed;
                form.Ran(took, b.FellBack, b.KeyRange, b.Rows, size);
                pacer.Observe(b.Rows, took, b.Impact, b.Full);
                double? share = b.Impact is { } impact && pacing.MaxAppImpact is not null
                    ? await ShareAsync(connection, changeId, target.Name, impact.AppPresent, pacer.DutyHeld, pacer.DutyCut, pacer.DutyCeiling)
                    : null;
                var wait = pacer.Wait(took, share);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellation);
                }

                // Short of its size: the end of the range (the last range has no upper key, and would
                // otherwise chase the rows the app inserts at the end of the key space).
                if (!b.Full)
                {
                    await FinishAsync(connection, worker, changeId, target.Name, number);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The one pacing budget all workers share, in the ledger (backfill_pacing): the share of time batches
    /// may run, summed over the workers. Every worker's verdict on its last batch moves it as
    /// <see cref="BackfillPacer"/> moves a single runner's duty (the duty cut: × 0.7; the app felt it
    /// otherwise, or its waits await a verdict: held; the app is there: + 0.05 up to the ceiling, which is the worker's pacer's (m/4, m/2
    /// while the app is on other hosts only, 1 while it is light); the app away for 2 s: no limit), so N workers together weigh on the app as
    /// one paced runner does. Returns this worker's share: the budget over the workers holding a range.
    /// </summary>
    private async Task<double> ShareAsync(NpgsqlConnection connection, long changeId, string table, bool present, bool held, bool cut, double ceiling)
    {
        await using var update = new NpgsqlCommand(
            $"""
            INSERT INTO {_pacing} AS p (change_id, table_name, duty, app_seen_at)
            VALUES (@c, @t, CASE WHEN @present THEN @ceiling ELSE @full END, CASE WHEN @present THEN now() END)
            ON CONFLICT (change_id, table_name) DO UPDATE SET
                duty = CASE
                    WHEN @cut THEN greatest(@min, least(p.duty, @ceiling) * 0.7)
                    WHEN @held THEN least(p.duty, @ceiling)
                    WHEN @present THEN least(@ceiling, least(p.duty, @ceiling) + 0.05)
                    WHEN p.app_seen_at IS NULL OR p.app_seen_at < now() - interval '2 seconds' THEN @full
                    ELSE p.duty END,
                app_seen_at = CASE WHEN @present THEN now() ELSE p.app_seen_at END,
                updated_at = now()
            RETURNING p.duty, (SELECT count(*) FROM {_ranges} r
                               WHERE r.change_id = @c AND r.table_name = @t AND NOT r.done
                                 AND r.claimed_by IS NOT NULL AND r.heartbeat > now() - @lease)
            """,
            connection);
        update.Parameters.AddWithValue("c", changeId);
        update.Parameters.AddWithValue("t", table);
        update.Parameters.AddWithValue("present", present || held);
        update.Parameters.AddWithValue("held", held);
        update.Parameters.AddWithValue("cut", cut);
        update.Parameters.AddWithValue("ceiling", ceiling);
        update.Parameters.AddWithValue("min", BackfillPacer.MinDuty);
        update.Parameters.AddWithValue("full", 1_000_000.0);
        update.Parameters.AddWithValue("lease", Lease);
        await using var reader = await update.ExecuteReaderAsync();
        await reader.ReadAsync();
        double duty = reader.GetDouble(0);
        long workers = Math.Max(1, reader.GetInt64(1));
        return Math.Min(1, duty / workers);
    }

    private async Task<(int Number, string? Upper, string? Start)?> ClaimAsync(NpgsqlConnection connection, string worker, long changeId, string table)
    {
        await using var claim = new NpgsqlCommand(
            $"""
            UPDATE {_ranges} SET claimed_by = @w, heartbeat = now()
            WHERE (change_id, table_name, range_no) = (
                SELECT change_id, table_name, range_no FROM {_ranges}
                WHERE change_id = @c AND table_name = @t AND NOT done
                  AND (claimed_by IS NULL OR heartbeat < now() - @lease)
                ORDER BY range_no LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING range_no, high_key, coalesce(last_key, low_key)
            """,
            connection);
        claim.Parameters.AddWithValue("w", worker);
        claim.Parameters.AddWithValue("c", changeId);
        claim.Parameters.AddWithValue("t", table);
        claim.Parameters.AddWithValue("lease", Lease);
        await using var reader = await claim.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private async Task<bool> AnyOpenAsync(NpgsqlConnection connection, long changeId, string table)
    {
        await using var open = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {_ranges} WHERE change_id = @c AND table_name = @t AND NOT done)", connection);
        open.Parameters.AddWithValue("c", changeId);
        open.Parameters.AddWithValue("t", table);
        return (bool)(await open.ExecuteScalarAsync())!;
    }

    private async Task FinishAsync(NpgsqlConnection connection, string worker, long changeId, string table, int number)
    {
        await using var finish = new NpgsqlCommand(
            $"UPDATE {_ranges} SET done = true, done_by = @w, claimed_by = NULL WHERE change_id = @c AND table_name = @t AND range_no = @n AND claimed_by = @w",
            connection);
        finish.Parameters.AddWithValue("w", worker);
        finish.Parameters.AddWithValue("c", changeId);
        finish.Parameters.AddWithValue("t", table);
        finish.Parameters.AddWithValue("n", number);
        await finish.ExecuteNonQueryAsync();
    }
}
