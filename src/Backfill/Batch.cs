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

    /// <summary>The save touched no row (a parallel worker's lease on its range ran out): the batch was
    /// rolled back.</summary>
    public sealed class CheckpointLost : Exception
    {
    }

    /// <summary>Returns the highest key done, the rows updated and, with the impact-aware pacing on, what
    /// the app saw of the batch (<see cref="AppImpact"/>); or null when no pending row is left after
    /// <paramref name="last"/> (up to <paramref name="upper"/>). <paramref name="ours"/>: the backends of
    /// the backfill's other workers, which are not the app.</summary>
    public static async Task<(string High, long Rows, ImpactSummary? Impact)?> RunAsync(
        NpgsqlConnection connection,
        BackfillOptions options,
        BackfillTarget target,
        string? last,
        string? upper,
        int size,
        Func<string, long, NpgsqlBatchCommand> save,
        CancellationToken cancellation,
        int[]? ours = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var tx = await connection.BeginTransactionAsync(cancellation);

                // Three round trips: the SET LOCALs with the UPDATE, the checkpoint with the look at the
                // app, the commit (there were five). Less waiting per batch; the app's p99 in the pacing
                // bench did not measurably change with it (docs/benchmarks.md).
                List<NpgsqlBatchCommand> setup =
                [
                    new("SET LOCAL migrator.backfill = 'on'"),
                    new($"SET LOCAL lock_timeout = '{(int)options.EffectiveLockTimeout.TotalMilliseconds}ms'"),
                    .. options.SkipUserTriggers ? [new NpgsqlBatchCommand("SET LOCAL session_replication_role = replica")] : Array.Empty<NpgsqlBatchCommand>(),
                ];
                long rows;
                string? high;
                try
                {
                    (rows, high) = await target.UpdateNextAsync(connection, tx, last, size, cancellation, upper, setup);
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
                return (high, rows, impact);
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
