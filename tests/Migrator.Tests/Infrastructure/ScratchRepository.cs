using System.Diagnostics;
using System.Text;

namespace Migrator.Tests.Infrastructure;

/// <summary>The repository copied as a fresh clone has it, and bash scripts run in a folder with a clean
/// environment (no MIGRATOR_* variables), for tests that run what a user or a pipeline runs.</summary>
public static class ScratchRepository
{
    /// <summary>Copies the repository without bin/, obj/ or artifacts/ (.git is kept, for the commit the
    /// tool's version carries).</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.EnumerateDirectories(from))
        {
            string name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or "artifacts" or "TestResults" or ".vs" or ".idea" || (name == ".config" && from == CliRunner.RepoRoot))
            {
                continue;
            }

            Copy(directory, Path.Combine(to, name));
        }
    }

    /// <summary>Runs <paramref name="script"/> with bash in <paramref name="folder"/>; standard output and error, interleaved.</summary>
    public static async Task<(int Code, string Output)> RunBashAsync(string folder, string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", script)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MIGRATOR_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var gate = new object();
        process.OutputDataReceived += (_, e) => { lock (gate) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (gate) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the script ran for more than 15 minutes:\n" + output);
        }

        process.WaitForExit();
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
