using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// Looks at the app from inside a batch, just before it commits, in one query over pg_stat_activity on
/// the batch's own connection (no monitor connection, nothing between batches): the client backends
/// waiting on a lock this batch holds (<c>pg_blocking_pids</c>), the other client connections that ran
/// something in the last second, and those waiting on shared-memory contention (LWLock, BufferPin or IO
/// wait events), those in a statement at that moment and not waiting on a lock (state active: running,
/// or waiting on anything but a heavyweight lock, which takes no CPU; a write stuck behind a batch is
/// counted as a waiter), the backfill's other workers that ran something in the last second, and the
/// database's transaction counter (pg_stat_database, which backends report at most once a second) from
/// which the pacing tells how many transactions the app runs, and which of the app's connections come
/// from the database's own host (<see cref="LocalClient"/>). A batch's row locks are held until its
/// commit, so every app write that ran into them is still waiting at that moment. pg_stat_activity is
/// read once per transaction, at this query: fresh.
/// </summary>
internal static class AppImpact
{
    /// <summary>The application_name workers give their connections, so that no worker takes another for the app.</summary>
    public const string WorkerName = "migrator backfill";

    /// <summary>Names a worker's connection <see cref="WorkerName"/> for the rest of its session.</summary>
    public static async Task NameWorkerAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var name = new NpgsqlCommand("SELECT set_config('application_name', $1, false)", connection);
        name.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WorkerName });
        await name.ExecuteNonQueryAsync(cancellation);
    }

    private const string Sql = $$"""
        SELECT count(*) FILTER (WHERE a.wait_event_type = 'Lock' AND pg_backend_pid() = ANY (pg_blocking_pids(a.pid))),
               count(*) FILTER (WHERE x.app AND x.seen),
               count(*) FILTER (WHERE x.app AND a.state = 'active' AND a.wait_event_type IN ('LWLock', 'BufferPin', 'IO')),
               (SELECT d.xact_commit + d.xact_rollback FROM pg_stat_database d WHERE d.datname = current_database()),
               count(*) FILTER (WHERE x.app AND a.state = 'active' AND a.wait_event_type IS DISTINCT FROM 'Lock'),
               count(*) FILTER (WHERE a.application_name = $2 AND x.seen),
               count(*) FILTER (WHERE x.app AND x.seen AND {{LocalClient}})
        FROM pg_stat_activity a
        CROSS JOIN LATERAL (SELECT NOT a.pid = ANY ($1) AND a.application_name IS DISTINCT FROM $2 AS app,
                                   a.state <> 'idle' OR a.state_change > clock_timestamp() - interval '1 second' AS seen) x
        WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
        """;

    /// <summary>
    /// True for a connection whose client is on the database's own host, or may be: a Unix socket (no
    /// address), a loopback address (IPv4, IPv6, or IPv4 mapped into IPv6), or the address the batch's own
    /// connection reached the server at (a client on the host that connects by the host's address has it
    /// as its own); also an address this role may not see (null, as for a socket). Such a client shares
    /// the database's cores with the backfill, and the pacing keeps the busy-app duty for it
    /// (<see cref="BackfillPacer.DutyCeiling"/>). Over <c>a.client_addr</c> of pg_stat_activity.
    /// </summary>
    public const string LocalClient = """
        (a.client_addr IS NULL OR a.client_addr << inet '127.0.0.0/8' OR a.client_addr = inet '::1'
         OR a.client_addr << inet '::ffff:127.0.0.0/104' OR a.client_addr = inet_server_addr())
        """;

    /// <summary>The query, to run in the batch's transaction just before its commit.</summary>
    /// <param name="ours">Backends of this backfill's other workers in this process: not the app. Workers
    /// name their connections <see cref="WorkerName"/>, which other processes' workers leave out too.</param>
    public static NpgsqlBatchCommand Command(int[] ours) => new(Sql)
    {
        Parameters =
        {
            new NpgsqlParameter<int[]> { TypedValue = ours },
            new NpgsqlParameter<string> { TypedValue = WorkerName },
        },
    };

    /// <summary>Reads the row of <see cref="Command"/> from a batch's reader (its first result with rows).</summary>
    public static async Task<ImpactSummary> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellation)
    {
        await reader.ReadAsync(cancellation);
        return new ImpactSummary((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2))
        {
            Transactions = reader.IsDBNull(3) ? null : reader.GetInt64(3),
            Active = (int)reader.GetInt64(4),
            Workers = (int)reader.GetInt64(5),
            Local = (int)reader.GetInt64(6),
        };
    }
}
