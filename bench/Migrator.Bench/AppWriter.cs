using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// The app in the backfill benches: single-row UPDATEs of <c>bench</c> by primary key, one after another on
/// one connection, synchronous calls (as a request thread would). It runs in a process of its own (this
/// bench's executable with <c>app-writer</c>), as an app does: in the bench's process it would also feel
/// the backfill client's garbage collections and thread pool, which no app shares. Its first 2 000 writes
/// warm it up (JIT, connection) and are not counted. Uniform: random keys, as fast as it can go. Hot: 90 %
/// of the writes on the first 1 % of keys. Light: random keys, 5 ms of sleep after each write (about
/// 190 writes a second, a statement in flight about 2 % of the time). Light-elsewhere: the same, on another
/// table (<c>bench_app</c>), as an app busy with something else than the table being backfilled.
/// Uniform-elsewhere: the uniform writer on that other table (the backfill's rows never in its way, only
/// the machine and the server it shares with the backfill). Light-other-rows: the light writer on
/// <c>bench</c>'s rows after the first <c>rows</c>, which are not pending (<see cref="BenchTable"/>'s
/// <c>doneRows</c>): the backfilled table, its pages, index and last pages shared, but no row the backfill
/// updates.
/// </summary>
public sealed class AppWriter : IAppWriter
{
    private const int WarmUp = 2000;
    private readonly Process _process;
    private readonly Task<string> _output;

    private AppWriter(Process process, Task<string> output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>Starts the writer's process and returns once it is warm and its writes are counted (pgbench
    /// for the kinds of <see cref="PgbenchWriter"/>).</summary>
    public static async Task<IAppWriter> StartAsync(string connectionString, long rows, string kind)
    {
        if (PgbenchWriter.Writes(kind))
        {
            return await PgbenchWriter.StartAsync(connectionString, rows, kind);
        }

        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "app-writer", connectionString, rows.ToString(CultureInfo.InvariantCulture), kind })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        if (await process.StandardOutput.ReadLineAsync() != "ready")
        {
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"the app writer exited with {process.ExitCode} before it was ready");
        }

        return new AppWriter(process, process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>Writes for <paramref name="duration"/> once warm; each write's latency in milliseconds.</summary>
    public static async Task<List<double>> RunAsync(string connectionString, long rows, string kind, TimeSpan duration)
    {
        var writer = await StartAsync(connectionString, rows, kind);
        await Task.Delay(duration);
        return await writer.StopAsync();
    }

    /// <summary>Stops the writer; each counted write's latency in milliseconds.</summary>
    public async Task<List<double>> StopAsync()
    {
        _process.StandardInput.Close();
        string text = await _output;
        await _process.WaitForExitAsync();
        int code = _process.ExitCode;
        _process.Dispose();
        return code != 0
            ? throw new InvalidOperationException($"the app writer exited with {code}")
            : [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture))];
    }

    /// <summary>The writer's process: warms up, prints <c>ready</c>, writes until its standard input
    /// closes, then prints each counted write's latency in milliseconds, a line each.</summary>
    public static void Serve(string connectionString, long rows, string kind)
    {
        if (kind is not ("uniform" or "hot" or "light" or "light-elsewhere" or "uniform-elsewhere" or "light-other-rows"))
        {
            throw new ArgumentException($"unknown app writer kind {kind}: uniform, hot, light, light-elsewhere, uniform-elsewhere or light-other-rows", nameof(kind));
        }

        var stopped = 0;
        var latencies = new List<double>(1 << 20);
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            bool elsewhere = kind.EndsWith("-elsewhere", StringComparison.Ordinal);
            using var update = new NpgsqlCommand(elsewhere ? "UPDATE bench_app SET a = a WHERE id = $1" : "UPDATE bench SET a = a WHERE id = $1", connection);
            update.Parameters.Add(new NpgsqlParameter<long>());
            update.Prepare();
            var random = new Random(42);
            long hotRows = Math.Max(1, rows / 100);
            bool hot = kind == "hot", light = kind.StartsWith("light", StringComparison.Ordinal);
            long keys = elsewhere ? BenchTable.AppRows : rows;
            long first = kind == "light-other-rows" ? rows : 0;
            for (int i = 0; Volatile.Read(ref stopped) == 0; i++)
            {
                long id = first + (hot && random.NextDouble() < 0.9 ? 1 + random.NextInt64(hotRows) : 1 + random.NextInt64(keys));
                ((NpgsqlParameter<long>)update.Parameters[0]).TypedValue = id;
                long start = Stopwatch.GetTimestamp();
                update.ExecuteNonQuery();
                if (i >= WarmUp)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (light)
                    {
                        Thread.Sleep(5);
                    }
                }
                else if (i == WarmUp - 1)
                {
                    Console.Out.WriteLine("ready");
                    Console.Out.Flush();
                    new Thread(() =>
                    {
                        Console.In.ReadToEnd();
                        Volatile.Write(ref stopped, 1);
                    })
                    { IsBackground = true }.Start();
                }
            }
        }

        using var output = new StreamWriter(Console.OpenStandardOutput());
        foreach (double ms in latencies)
        {
            output.WriteLine(ms.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
