using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Migrator.Bench;

/// <summary>
/// Wall time of `status`, `plan` and `gate` on the shop sample as a pipeline runs them: one
/// `dotnet Migrator.dll …` process per command (so every run pays the process start and the JIT),
/// against a database where 1.0.0 is live and 2.0.0's changes are expanded. "Warm" means the
/// migrations project is already built (Migrator skips the build, docs/configuration.md); the first
/// run, which builds it, is reported apart.
/// </summary>
public sealed class CommandLatencyBench(string connectionString, TextWriter log)
{
    private static string Tool => Path.Combine(RepoPaths.Root, "src", "Migrator", "bin", "Release", "net10.0", "Migrator.dll");

    private static string Config => Path.Combine(RepoPaths.Root, "sample-schemas", "shop", "migrator.json");

    public string Run(int rounds = 7)
    {
        if (!File.Exists(Tool))
        {
            throw new InvalidOperationException($"{Tool} not found: run the bench with -c Release");
        }

        // Start from an unbuilt state so the first command pays the build, as after a git pull.
        string stamp = Path.Combine(RepoPaths.Root, "sample-schemas", "shop", "Shop.Migrations", "obj", "migrator-build.json");
        File.Delete(stamp);
        double firstRun = Time("plan");
        Must("expand", "--to", "1.0.0");
        Must("deploy", "register", "1.0.0", "--slot", "blue");
        Must("expand");

        var commands = new (string Name, string[] Args)[]
        {
            ("status", ["status"]),
            ("plan", ["plan"]),
            ("gate --to 2.0.0", ["gate", "--to", "2.0.0"]),
            ("plan --no-build", ["plan", "--no-build"]),
        };
        var times = commands.ToDictionary(c => c.Name, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, args) in commands)
            {
                times[name].Add(Time(args));
            }

            log.WriteLine($"round {round + 1}: " + string.Join(", ", commands.Select(c => $"{c.Name} {times[c.Name][^1]:0} ms")));
        }

        var table = new StringBuilder();
        table.AppendLine("| command (one process each, migrations already built) | median | min | max |");
        table.AppendLine("|---|---|---|---|");
        foreach (var (name, _) in commands)
        {
            var sorted = times[name].Order().ToList();
            table.AppendLine(CultureInfo.InvariantCulture, $"| `dotnet migrator {name}` | {sorted[sorted.Count / 2]:0} ms | {sorted[0]:0} ms | {sorted[^1]:0} ms |");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"| `dotnet migrator plan`, first run after a change (builds Shop.Migrations) | {firstRun:0} ms | | |");
        return table.ToString();
    }

    private void Must(params string[] args)
    {
        var (code, output) = Invoke(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"migrator {string.Join(" ", args)} exited {code}: {output}");
        }
    }

    /// <summary>Milliseconds of one run; exit 0 or 1 (a closed gate) are both answers.</summary>
    private double Time(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (code, output) = Invoke(args);
        clock.Stop();
        if (code is not (0 or 1))
        {
            throw new InvalidOperationException($"migrator {string.Join(" ", args)} exited {code}: {output}");
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private (int Code, string Output) Invoke(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Tool }.Concat(args).Concat(["--config", Config, "--connection", connectionString]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
