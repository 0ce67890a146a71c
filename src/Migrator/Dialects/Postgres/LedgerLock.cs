using System.Diagnostics;
using Dapper;
using System.Data.Common;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// The session advisory lock every command holds on the ledger: a second migrator waits up to
/// --lock-wait for it, then exits 3 naming who holds it. Released before the command exits
/// (<see cref="ReleaseAsync"/>), and by the server when the connection closes.
/// Backfills take it shared, so several backfill processes (workers on several machines) run
/// together, while expand, contract and the other commands take it exclusively.
/// </summary>
public static class LedgerLock
{
    private const string KeySql = "hashtextextended('migrator ledger ' || @schema, 0)";

    public static async Task AcquireAsync(DbConnection connection, string schema, TimeSpan wait, CancellationToken cancellation = default, bool shared = false)
    {
        string function = shared ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            bool taken = await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition($"SELECT {function}({KeySql})", new { schema }, cancellationToken: cancellation));
            if (taken)
            {
                return;
            }

            if (clock.Elapsed >= wait)
            {
                var holder = await connection.QueryFirstOrDefaultAsync<(int Pid, string? App, string? User)>(
                    $"""
                    SELECT a.pid, a.application_name, a.usename::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted
                      AND ((l.classid::bigint << 32) | l.objid::bigint) = {KeySql}
                    """,
                    new { schema });
                string who = holder.Pid == 0 ? "another session" : $"pid {holder.Pid} ({holder.App}, user {holder.User})";
                throw new MigratorException(ExitCodes.Locked,
                    $"another migrator holds the ledger lock of schema '{schema}': {who}; gave up after {wait.TotalSeconds:0.#} s (--lock-wait)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, Math.Max(10, (wait - clock.Elapsed).TotalMilliseconds))), cancellation);
        }
    }

    /// <summary>
    /// Releases every session advisory lock the connection holds (best effort: a broken connection's locks go
    /// with its backend). Without it, a command that starts right after this one exits can find the lock
    /// still held by a backend that has not yet noticed its client is gone.
    /// </summary>
    public static async Task ReleaseAsync(DbConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock_all()");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection is gone or busy; closing it releases the lock on the server.
        }
    }
}
