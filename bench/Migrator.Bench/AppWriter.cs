using System.Diagnostics;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// The app in the backfill benches: single-row UPDATEs of <c>bench</c> by primary key, one after another on
/// one connection, on a dedicated thread with synchronous calls (as a request thread would), so the
/// bench's own async work does not queue in front of it. Hot: 90 % of the writes on the first 1 % of keys.
/// </summary>
public static class AppWriter
{
    /// <summary>Writes until <paramref name="stop"/>; returns each write's latency in milliseconds.</summary>
    public static Task<List<double>> RunAsync(NpgsqlDataSource db, long rows, bool hot, CancellationToken stop)
    {
        var done = new TaskCompletionSource<List<double>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var latencies = new List<double>();
                using var connection = db.OpenConnection();
                using var update = new NpgsqlCommand("UPDATE bench SET a = a WHERE id = $1", connection);
                update.Parameters.Add(new NpgsqlParameter<long>());
                update.Prepare();
                var random = new Random(42);
                long hotRows = Math.Max(1, rows / 100);
                while (!stop.IsCancellationRequested)
                {
                    long id = hot && random.NextDouble() < 0.9 ? 1 + random.NextInt64(hotRows) : 1 + random.NextInt64(rows);
                    ((NpgsqlParameter<long>)update.Parameters[0]).TypedValue = id;
                    long start = Stopwatch.GetTimestamp();
                    update.ExecuteNonQuery();
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                done.SetResult(latencies);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "app writer" };
        thread.Start();
        return done.Task;
    }
}
