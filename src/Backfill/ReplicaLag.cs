using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// Holds a backfill back while a replica lags: before a batch, reads replay_lag from
/// pg_stat_replication (for the named replica, or the most lagging one) and waits while it is above the
/// bound. A replica that is caught up reports no lag (NULL) and does not hold anything back; a named
/// replica that is not connected is an error, never a silent pass.
/// </summary>
internal static class ReplicaLag
{
    public static async Task WaitAsync(NpgsqlConnection connection, BackfillOptions options, Action<TimeSpan>? waiting, CancellationToken cancellation)
    {
        if (options.MaxReplicaLag is not { } bound)
        {
            return;
        }

        while (true)
        {
            var (found, lag) = await ReadAsync(connection, options.Replica, cancellation);
            if (!found && options.Replica is not null)
            {
                throw new BackfillException($"replica '{options.Replica}' is not connected (no row in pg_stat_replication with that application_name)", isBadInput: true);
            }

            if (lag is null || lag <= bound)
            {
                return;
            }

            waiting?.Invoke(lag.Value);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
        }
    }

    private static async Task<(bool Found, TimeSpan? Lag)> ReadAsync(NpgsqlConnection connection, string? replica, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            replica is null
                ? "SELECT count(*) > 0, max(extract(epoch FROM replay_lag))::float8 FROM pg_stat_replication"
                : "SELECT count(*) > 0, max(extract(epoch FROM replay_lag))::float8 FROM pg_stat_replication WHERE application_name = @replica",
            connection);
        if (replica is not null)
        {
            command.Parameters.AddWithValue("replica", replica);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return (reader.GetBoolean(0), reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(reader.GetDouble(1)));
    }
}
