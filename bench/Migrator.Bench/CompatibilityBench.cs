using System.Diagnostics;
using System.Globalization;
using System.Text;
using Migrator.Cli;
using Migrator.Compatibility;

namespace Migrator.Bench;

/// <summary>
/// `plan` (with the compatibility checker and two app versions' manifests) on 5 and on 500 generated
/// changes, and `usage extract` on a generated 500-file app: wall time, median of several runs.
/// </summary>
public sealed class CompatibilityBench(TextWriter log)
{
    private static readonly string Repo = RepoPaths.Root;

    public async Task<string> RunAsync()
    {
        string root = Path.Combine(Path.GetTempPath(), "migrator-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            var report = new StringBuilder();
            report.AppendLine("| measure | size | median | runs (ms) |");
            report.AppendLine("|---|---|---|---|");
            string app = GenerateApp(Path.Combine(root, "app"), files: 500);
            var extractRuns = new List<double>();
            UsageManifest? manifest = null;
            for (int i = 0; i < 4; i++)
            {
                var watch = Stopwatch.StartNew();
                manifest = UsageExtractor.Extract(app, "2.0.0");
                extractRuns.Add(watch.Elapsed.TotalMilliseconds);
            }

            log.WriteLine($"usage extract: {manifest!.Statements.Count} statements, {manifest.Unresolved.Count} unresolved");
            report.AppendLine(Row($"usage extract (first run in the process, then warm): {manifest.Statements.Count} statements, {manifest.Unresolved.Count} unresolved", "500 files", extractRuns));
            string usage = Path.Combine(root, "usage.json");
            await File.WriteAllTextAsync(usage, manifest.ToJson());
            string usageV1 = Path.Combine(root, "usage-v1.json");
            await File.WriteAllTextAsync(usageV1, (manifest with { AppVersion = "1.0.0" }).ToJson());

            foreach (int changes in new[] { 5, 500 })
            {
                string dll = BuildChanges(Path.Combine(root, $"changes{changes}"), changes);
                string config = Path.Combine(root, $"migrator{changes}.json");
                await File.WriteAllTextAsync(config, "{ \"ledgerSchema\": \"migrator\" }");
                var runs = new List<double>();
                for (int i = 0; i < 6; i++)
                {
                    var watch = Stopwatch.StartNew();
                    int code = await MigratorCli.RunAsync(
                        ["plan", "--config", config, "--migrations", dll, "--usage", "1.0.0=" + usageV1, "--usage", "2.0.0=" + usage, "--format", "json"],
                        CliContext.ForWriters(TextWriter.Null, log));
                    runs.Add(watch.Elapsed.TotalMilliseconds);
                    if (code is not 0 and not 1)
                    {
                        throw new InvalidOperationException($"plan exited {code}");
                    }
                }

                report.AppendLine(Row("plan --format json, checker on, 2 versions × " + manifest.Statements.Count + " statements (first run, then warm)", $"{changes} changes", runs));
            }

            return report.ToString();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Row(string what, string size, List<double> runs)
    {
        var warm = runs.Skip(1).OrderBy(x => x).ToList();
        return $"| {what} | {size} | {warm[warm.Count / 2]:0} ms | {string.Join(", ", runs.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} |";
    }

    /// <summary>An app of <paramref name="files"/> repositories, four Dapper calls each, over 20 tables.</summary>
    private static string GenerateApp(string folder, int files)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        GeneratedApp.WriteRepositories(folder, files);
        return folder;
    }

    /// <summary>A migrations assembly: change 1 creates 20 tables, each later change adds a column and indexes the
    /// one added 20 changes before (every third also gives it a default), each needed by its own app version.</summary>
    private static string BuildChanges(string folder, int changes)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Changes.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><ProjectReference Include="{Path.Combine(Repo, "src", "Migrator", "Migrator.csproj")}" /></ItemGroup>
            </Project>
            """);
        var code = new StringBuilder("using Migrator.Authoring;\nnamespace Bench;\n");
        code.AppendLine("[Change(1, \"Create the tables\", AppVersion = \"1.0.0\")]");
        code.AppendLine("public sealed class C1 : Change { protected override void Expand() { for (int t = 0; t < 20; t++) { Create.Table(\"t\" + t).WithColumn(\"id\").AsInt64().PrimaryKey().Identity().WithColumn(\"c0\").AsInt32().Nullable(); } } }");
        for (int i = 2; i <= changes; i++)
        {
            int t = i % 20;
            // The index and the default go on the column an earlier change (20 before, same table) added.
            string extra = i > 21 ? $" CreateIndex(\"t{t}\", \"ix_t{t}_a{i - 20}\", [\"a{i - 20}\"]);" : "";
            extra += i > 21 && i % 3 == 0 ? $" SetDefault(\"t{t}\", \"a{i - 20}\", \"0\");" : "";
            code.AppendLine($"[Change({i}, \"Add t{t}.a{i}\", AppVersion = \"1.{i}.0\")]");
            code.AppendLine($"public sealed class C{i} : Change {{ public C{i}() {{ AddColumn(\"t{t}\", \"a{i}\", \"integer\");{extra} }} }}");
        }

        File.WriteAllText(Path.Combine(folder, "Changes.cs"), code.ToString());
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", folder, "-c", "Release", "-o", Path.Combine(folder, "out"), "-v", "q"]) { RedirectStandardOutput = true })!;
        string output = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("building the generated changes failed:\n" + output);
        }

        return Path.Combine(folder, "out", "Changes.dll");
    }
}
