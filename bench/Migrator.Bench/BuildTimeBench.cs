using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Migrator.Bench;

/// <summary>
/// Build time of a generated 500-file app project (four Dapper calls per file, checked against a
/// migrator-schema.txt, plus 100 FluentMigrator migrations), in the consumer setting: the analyzers come
/// from the Migrator.Analyzers package, packed into a temporary feed and restored like any package.
/// `dotnet build --no-incremental` with and without the package, alternating, after one warm-up build of
/// each; then one build with `-p:ReportAnalyzer=true` for the analyzers' own times.
/// </summary>
public sealed partial class BuildTimeBench(TextWriter log, bool keep = false)
{
    public async Task<string> RunAsync(int rounds = 7)
    {
        string repo = RepoPaths.Root;
        string folder = Path.Combine(Path.GetTempPath(), "migrator-buildbench-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            string version = "0.1.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            Run("dotnet", ["pack", Path.Combine(repo, "src", "Migrator.Analyzers"), "-c", "Release", "-o", Path.Combine(folder, "feed"), $"-p:Version={version}", "-nologo", "-v:q"]);
            Generate(Path.Combine(folder, "app"), Path.Combine(folder, "feed"), version);
            string app = Path.Combine(folder, "app");
            var with = new List<double>();
            var without = new List<double>();
            Build(app, analyzers: true);
            Build(app, analyzers: false);
            for (int i = 0; i < rounds; i++)
            {
                with.Add(Build(app, analyzers: true));
                without.Add(Build(app, analyzers: false));
                log.WriteLine($"round {i + 1}: with {with[^1]:0} ms, without {without[^1]:0} ms");
            }

            // The compiler binds each method body once for all analyzers, and charges it to whichever asks
            // first: the Migrator analyzers' own line includes binding the SDK's analyzers need anyway. The
            // analyzers' net cost is the difference in the total with and without the package.
            var totalsWith = new List<double>();
            var totalsWithout = new List<double>();
            List<(string Name, string Assembly, double Seconds)> analyzers = [];
            for (int i = 0; i < 3; i++)
            {
                (double total, analyzers) = ReportAnalyzer(app, true);
                totalsWith.Add(total);
                totalsWithout.Add(ReportAnalyzer(app, false).Total);
            }

            double medianWith = Median(with), medianWithout = Median(without);
            var report = new StringBuilder();
            report.AppendLine($"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, Migrator.Analyzers {version} from a local feed, {Environment.ProcessorCount} cores.");
            report.AppendLine();
            report.AppendLine("| build of the generated 500-file project (`dotnet build --no-incremental`) | median | runs (ms) |");
            report.AppendLine("|---|---|---|");
            report.AppendLine($"| with the Migrator.Analyzers package | {medianWith:0} ms | {string.Join(", ", with.Select(F))} |");
            report.AppendLine($"| without | {medianWithout:0} ms | {string.Join(", ", without.Select(F))} |");
            report.AppendLine($"| ratio of the medians (goal ≤ 1.05) | {medianWith / medianWithout:0.00} | |");
            report.AppendLine($"| ratio, round by round (min / median / max) | {RoundRatios(with, without)} | |");
            report.AppendLine();
            double ours = analyzers.Where(a => a.Assembly == "Migrator.Analyzers").Sum(a => a.Seconds);
            double net = Median(totalsWith) - Median(totalsWithout);
            report.AppendLine($"`-p:ReportAnalyzer=true`, three builds with and three without the package: all analyzers together take a median {Median(totalsWith):0.000} s with it and {Median(totalsWithout):0.000} s without, so the package adds **{net:0.000} s ({net * 1000 / medianWith:P1} of the median build)**. The compiler binds each method body once for all analyzers and charges it to the first that asks, so the Migrator analyzers' own lines ({ours:0.000} s in the last build, below) include binding the SDK's analyzers would do anyway.");
            report.AppendLine();
            report.AppendLine("| analyzer (top 8 by execution time) | assembly | seconds |");
            report.AppendLine("|---|---|---|");
            foreach (var a in analyzers.OrderByDescending(a => a.Seconds).Take(8))
            {
                report.AppendLine($"| {a.Name} | {a.Assembly} | {a.Seconds:0.000} |");
            }

            await Task.CompletedTask;
            return report.ToString();
        }
        finally
        {
            if (keep)
            {
                log.WriteLine("kept " + folder);
            }
            else
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string F(double ms) => ms.ToString("0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string RoundRatios(List<double> with, List<double> without)
    {
        var ratios = with.Zip(without, (w, o) => w / o).ToList();
        return $"{ratios.Min():0.00} / {Median(ratios):0.00} / {ratios.Max():0.00}";
    }

    private static double Build(string folder, bool analyzers)
    {
        var watch = Stopwatch.StartNew();
        Run("dotnet", ["build", folder, "--no-incremental", "--no-restore", "-nologo", "-v:q", $"-p:WithMigratorAnalyzers={analyzers}"]);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>One build with the compiler's per-analyzer timing; returns the total and each analyzer's
    /// seconds as the compiler prints them ("0.123   12   Migrator.Analyzers.DapperSchemaAnalyzer (MIG0110)").</summary>
    private static (double Total, List<(string Name, string Assembly, double Seconds)> Analyzers) ReportAnalyzer(string folder, bool withPackage)
    {
        string output = Run("dotnet", ["build", folder, "--no-incremental", "--no-restore", "-nologo", "-v:d", $"-p:WithMigratorAnalyzers={withPackage}", "-p:ReportAnalyzer=true"]);
        double total = 0;
        var analyzers = new List<(string, string, double)>();
        string assembly = "";
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            if (TotalLine().Match(line) is { Success: true } t)
            {
                total = Seconds(t.Groups[1].Value);
            }
            else if (AssemblyLine().Match(line) is { Success: true } a)
            {
                assembly = a.Groups[2].Value.Split(',')[0].Trim();
            }
            else if (AnalyzerLine().Match(line) is { Success: true } m && !string.IsNullOrEmpty(assembly))
            {
                analyzers.Add((m.Groups[2].Value.Split(" (")[0].Split('.')[^1], assembly, Seconds(m.Groups[1].Value)));
            }
        }

        return (total, analyzers);
    }

    private static double Seconds(string text) => double.Parse(text.Replace("<", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Total analyzer execution time: ([\d.]+) seconds")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^(<?[\d.]+)\s+<?\d+\s+([A-Za-z][\w.]*, Version=.*)$")]
    private static partial Regex AssemblyLine();

    [GeneratedRegex(@"^(<?[\d.]+)\s+<?\d+\s+([A-Za-z][\w.]*(?: \(.*\))?)$")]
    private static partial Regex AnalyzerLine();

    private static string Run(string file, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed:\n{output}");
        }

        return output;
    }

    private static void Generate(string folder, string feed, string version)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="bench" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dapper" Version="2.1.86" />
                <PackageReference Include="FluentMigrator" Version="8.0.1" />
                <PackageReference Include="Migrator.Analyzers" Version="{version}" PrivateAssets="all" />
                <AdditionalFiles Include="migrator-schema.txt" />
              </ItemGroup>
              <!-- One restore serves both builds: without the analyzers, the package's analyzer assets are left out. -->
              <Target Name="DropMigratorAnalyzers" AfterTargets="ResolveLockFileAnalyzers" Condition="'$(WithMigratorAnalyzers)' != 'true'">
                <ItemGroup>
                  <Analyzer Remove="@(Analyzer)" Condition="$([System.String]::Copy('%(Analyzer.NuGetPackageId)').StartsWith('Migrator.'))" />
                </ItemGroup>
              </Target>
            </Project>
            """);
        var schema = new StringBuilder("# migrator schema v1\n");
        for (int t = 0; t < 20; t++)
        {
            schema.AppendLine($"table public.t{t} id c0 c1");
        }

        File.WriteAllText(Path.Combine(folder, "migrator-schema.txt"), schema.ToString());
        GeneratedApp.WriteRepositories(folder, 500);
        for (int i = 0; i < 100; i++)
        {
            int t = i % 20;
            File.WriteAllText(Path.Combine(folder, $"M{i}.cs"), $$"""
                    using FluentMigrator;
                    namespace App;
                    [Migration({{i + 1}})]
                    public sealed class M{{i}} : Migration
                    {
                        public override void Up()
                        {
                            Alter.Table("t{{t}}").AddColumn("x{{i}}").AsString().Nullable();
                            Create.Table("n{{i}}").WithColumn("id").AsInt64().PrimaryKey();
                            Create.Index("ix_n{{i}}").OnTable("n{{i}}").OnColumn("id").Ascending();
                        }

                        public override void Down() => Delete.Table("n{{i}}");
                    }
                    """);
        }

        Run("dotnet", ["restore", folder, "-nologo", "-v:q"]);
    }
}
