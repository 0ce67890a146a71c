using System.Diagnostics;
using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// One batch in its own short transaction: marked as the backfill's (sync triggers leave it alone),
/// with lock_timeout, the next pending rows updated, and the caller's checkpoint saved in the same
/// transaction. Retried on lock_not_available; any other database error becomes a
/// <see cref="BackfillException"/> that says where the checkpoint stays.
/// </summary>
internal static class Batch
{
    private const string LockNotAvailable = "55P03";

    /// <summary>A statement cancelled by its statement_timeout (a cancel from the token surfaces as an
    /// OperationCanceledException instead).</summary>
    private const string QueryCanceled = "57014";

    /// <summary>The save touched no row (a parallel worker's lease on its range ran out): the batch was
    /// rolled back.</summary>
    public sealed class CheckpointLost : Exception
    {
    }

    /// <summary>A committed batch: the highest key done, the rows updated, whether it covered its whole
    /// size (false at the end of a pass or range: its duration says nothing of a full batch's), which
    /// form it ran in, why the key-range form gave up first when it did (<see cref="FallbackReason"/>), and, with the impact-aware
    /// pacing on, what the app saw of it (<see cref="AppImpact"/>).</summary>
    public sealed record Outcome(string High, long Rows, bool Full, bool KeyRange, FallbackReason? FellBackOn, ImpactSummary? Impact)
    {
        /// <summary>True when the batch ran in the SKIP LOCKED form after the key-range form gave up.</summary>
        public bool FellBack => FellBackOn is not null;
    }

    /// <summary>Runs one batch, in the key-range form when <paramref name="form"/> says so (redone in the
    /// SKIP LOCKED form when that gives up), in the SKIP LOCKED form otherwise; returns null when no
    /// pending row is left after <paramref name="last"/> (up to <paramref name="upper"/>).
    /// <paramref name="ours"/>: the backends of the backfill's other workers, which are not the app.
    /// <paramref name="keys"/>: the batch is over the rows of exactly these keys that are still pending, in the
    /// SKIP LOCKED form (<see cref="BackfillTarget.UpdateKeysAsync"/>), instead of the next keys after
    /// <paramref name="last"/>; null when none of them was updated.</summary>
    public static async Task<Outcome?> RunAsync(
        NpgsqlConnection connection,
        BackfillOptions options,
        BackfillTarget target,
        string? last,
        string? upper,
        int size,
        Func<string, long, NpgsqlBatchCommand> save,
        CancellationToken cancellation,
        int[]? ours = null,
        BatchForm? form = null,
        IReadOnlyList<string>? keys = null)
    {
        bool keyRange = keys is null && (form?.KeyRange ?? false);
        FallbackReason? fellBackOn = null;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var tx = await connection.BeginTransactionAsync(cancellation);

                // Three round trips in the SKIP LOCKED form: the SET LOCALs with the UPDATE, the checkpoint
                // with the look at the app, the commit (there were five); four in the key-range form (its
                // upper key, then the UPDATE). The app's p99 in the pacing bench did not measurably change
                // with the number (docs/benchmarks.md).
                var lockTimeout = keyRange ? BatchForm.LockTimeout : options.EffectiveLockTimeout;
                List<NpgsqlBatchCommand> setup =
                [
                    new("SET LOCAL migrator.backfill = 'on'"),
                    new($"SET LOCAL lock_timeout = '{(int)lockTimeout.TotalMilliseconds}ms'"),
                    .. keyRange ? [new NpgsqlBatchCommand($"SET LOCAL statement_timeout = '{(int)form!.StatementTimeout.TotalMilliseconds}ms'")] : Array.Empty<NpgsqlBatchCommand>(),
                    .. options.SkipUserTriggers ? [new NpgsqlBatchCommand("SET LOCAL session_replication_role = replica")] : Array.Empty<NpgsqlBatchCommand>(),
                ];
                long rows;
                string? high;
                bool full;
                long started = Stopwatch.GetTimestamp();
                try
                {
                    if (keyRange)
                    {
                        (rows, high, full) = await target.UpdateRangeAsync(connection, tx, last, size, cancellation, upper, setup);
                    }
                    else if (keys is not null)
                    {
                        (rows, high, full) = await target.UpdateKeysAsync(connection, tx, keys, cancellation, setup);
                    }
                    else
                    {
                        (rows, high, full) = await target.UpdateNextAsync(connection, tx, last, size, cancellation, upper, setup);
                    }
                }
                catch (PostgresException e) when (keyRange && e.SqlState is LockNotAvailable or QueryCanceled)
                {
                    // A row the app holds (or the statement ran out of its time): redo the batch in the SKIP
                    // LOCKED form, which waits for no row. Not an attempt: the next one is a different form.
                    await tx.RollbackAsync(cancellation);
                    keyRange = false;
                    // 57014 is the statement_timeout or someone's cancel; the time it ran tells them apart in
                    // any server language (a cancel that comes after as long as the timeout reads as the timeout).
                    fellBackOn = e.SqlState == LockNotAvailable ? FallbackReason.LockTimeout
                        : Stopwatch.GetElapsedTime(started) >= form!.StatementTimeout ? FallbackReason.StatementTimeout
                        : FallbackReason.Canceled;
                    attempt--;
                    continue;
                }
                catch (PostgresException e) when (e.SqlState == "42501" && options.SkipUserTriggers && e.MessageText.Contains("session_replication_role", StringComparison.Ordinal))
                {
                    throw new BackfillException(
                        "--skip-user-triggers needs a role that may set session_replication_role (a superuser in PostgreSQL 15): run the backfill as one, or without the option",
                        isBadInput: true, e);
                }

                if (high is null)
                {
                    await tx.RollbackAsync(cancellation);
                    return null;
                }

                ImpactSummary? impact = null;
                await using (var after = new NpgsqlBatch(connection, tx))
                {
                    var saving = save(high, rows);
                    after.BatchCommands.Add(saving);
                    var sample = options.MaxAppImpact is null ? null : AppImpact.Command(ours ?? []);
                    if (sample is not null)
                    {
                        after.BatchCommands.Add(sample);
                    }

                    await using (var reader = await after.ExecuteReaderAsync(cancellation))
                    {
                        if (sample is not null)
                        {
                            impact = await AppImpact.ReadAsync(reader, cancellation);
                        }
                    }

                    if (saving.RecordsAffected != 1)
                    {
                        throw new CheckpointLost(); // rolls the batch back
                    }
                }

                await tx.CommitAsync(cancellation);
                return new Outcome(high, rows, full, keyRange, fellBackOn, impact);
            }
            catch (PostgresException e) when (e.SqlState == LockNotAvailable && attempt < options.LockRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * attempt) * (0.5 + Random.Shared.NextDouble() / 2)), cancellation);
            }
            catch (PostgresException e) when (e.SqlState != LockNotAvailable)
            {
                throw new BackfillException(
                    $"{target.Name}: batch after key {last ?? "(start)"} failed: {PostgresErrorText.Describe(e)}; the checkpoint stays at {last ?? "(start)"}",
                    isBadInput: e.SqlState.StartsWith("42", StringComparison.Ordinal),
                    e);
            }
        }
    }
}
