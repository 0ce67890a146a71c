using System.Diagnostics;
using System.Globalization;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// The uniform, hot and light app writers written in C: PostgreSQL's own <c>pgbench</c>, one client, one
/// connection, prepared statements, the same single-row <c>UPDATE bench SET a = a WHERE id = $1</c> by
/// random key (pgbench-uniform) or with 90 % of the writes on the first 1 % of keys (pgbench-hot), as fast
/// as it goes, or by random key at 190 writes a second (pgbench-light, <c>--rate</c>: writes scheduled at
/// random times, each one's latency counted from its scheduled start, so a write held up behind another
/// one counts its wait too; pgbench-light-pool: the same rate over 4 connections, each with its own
/// schedule, as an app's pool, where a write held up holds up only those due on its own connection),
/// with each transaction's latency logged (<c>-l</c>). Beside the .NET writer of
/// <see cref="AppWriter"/> it tells what the server does to the app's writes from what the client's own
/// runtime does under a shared CPU: a .NET process has a garbage collector, a JIT and a thread pool that
/// must be scheduled on the same 2 cores, a C client has none of them.
/// </summary>
public sealed class PgbenchWriter : IAppWriter
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly long _from;

    private PgbenchWriter(Process process, string directory, long from)
    {
        _process = process;
        _directory = directory;
        _from = from;
    }

    public static bool Writes(string kind) => kind is "pgbench-uniform" or "pgbench-hot" or "pgbench-light" or "pgbench-light-pool";

    /// <summary>The connections of pgbench-light-pool.</summary>
    public const int PoolConnections = 4;

    /// <summary>The light writer's rate, about that of <see cref="AppWriter"/>'s light writers.</summary>
    public const int LightRate = 190;

    /// <summary>Starts pgbench; its writes from the moment this returns are counted.</summary>
    public static async Task<PgbenchWriter> StartAsync(string connectionString, long rows, string kind)
    {
        if (!Writes(kind))
        {
            throw new ArgumentException($"unknown pgbench writer kind {kind}: pgbench-uniform, pgbench-hot, pgbench-light or pgbench-light-pool", nameof(kind));
        }

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        string directory = Directory.CreateTempSubdirectory("migrator-pgbench-").FullName;
        string script = Path.Combine(directory, "write.sql");
        await File.WriteAllTextAsync(script, kind == "pgbench-hot"
            ? Invariant($"\\set r random(1, 100)\n\\if :r <= 90\n\\set id random(1, {Math.Max(1, rows / 100)})\n\\else\n\\set id random(1, {rows})\n\\endif\nUPDATE bench SET a = a WHERE id = :id;\n")
            : Invariant($"\\set id random(1, {rows})\nUPDATE bench SET a = a WHERE id = :id;\n"));
        var start = new ProcessStartInfo(Path.Combine(PostgresCluster.FindBinaries(), "pgbench"))
        {
            UseShellExecute = false,
            // Killed, pgbench prints no summary; its errors, if any, are read as they come, so that a full
            // pipe never holds it up.
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        string[] rate = kind.StartsWith("pgbench-light", StringComparison.Ordinal) ? ["--rate", LightRate.ToString(CultureInfo.InvariantCulture)] : [];
        string clients = (kind == "pgbench-light-pool" ? PoolConnections : 1).ToString(CultureInfo.InvariantCulture);
        foreach (string arg in (string[])["-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!, "-n", "-M", "prepared", "-c", clients, "-T", "3600", "-l", "--log-prefix", Path.Combine(directory, "log"), .. rate, "-f", script, target.Database!])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGPASSWORD"] = target.Password;
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        // The connection and the statement's preparation are over well within this.
        await Task.Delay(300);
        return process.HasExited
            ? throw new InvalidOperationException($"pgbench exited with {process.ExitCode}: {await errors}")
            : new PgbenchWriter(process, directory, Now());
    }

    /// <summary>Stops pgbench; the latency in milliseconds of each write that ended after
    /// <see cref="StartAsync"/> returned and before this was called.</summary>
    public async Task<List<double>> StopAsync()
    {
        long to = Now();
        // pgbench buffers its log: the writes of the next 300 ms push every line up to now out of its buffer
        // before it is killed (it has no way to be stopped that flushes the log).
        await Task.Delay(300);
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        var latencies = new List<double>(1 << 20);
        foreach (string file in Directory.GetFiles(_directory, "log.*"))
        {
            // The kill may cut the last line short: what follows the last line break is left out.
            string[] lines = (await File.ReadAllTextAsync(file)).Split('\n');
            foreach (string line in lines[..^1])
            {
                // client_id transaction_no time script_no time_epoch time_us [schedule_lag]: the latency and
                // the end, in µs.
                string[] fields = line.Split(' ');
                if (fields.Length >= 6
                    && long.TryParse(fields[2], CultureInfo.InvariantCulture, out long latency)
                    && long.TryParse(fields[4], CultureInfo.InvariantCulture, out long seconds)
                    && long.TryParse(fields[5], CultureInfo.InvariantCulture, out long micros)
                    && (seconds * 1_000_000) + micros is var end && end >= _from && end <= to)
                {
                    latencies.Add(latency / 1000.0);
                }
            }
        }

        Directory.Delete(_directory, recursive: true);
        return latencies.Count == 0 ? throw new InvalidOperationException("pgbench logged no write") : latencies;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
