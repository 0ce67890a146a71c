using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Migrator.Bench;

/// <summary>
/// Build time of a generated 500-file app project (four Dapper calls per file, checked against a
/// migrator-schema.txt, plus 100 FluentMigrator migrations) with and without the Migrator analyzers:
/// `dotnet build --no-incremental`, alternating with/without, after one warm-up build of each.
/// </summary>
public sealed class BuildTimeBench(TextWriter log)
{
    public async Task<string> RunAsync(int rounds = 5)
    {
        string repo = RepoPaths.Root;
        string folder = Path.Combine(Path.GetTempPath(), "migrator-buildbench-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            Generate(folder, repo);
            var with = new List<double>();
            var without = new List<double>();
            Build(folder, analyzers: true);
            Build(folder, analyzers: false);
            for (int i = 0; i < rounds; i++)
            {
                with.Add(Build(folder, analyzers: true));
                without.Add(Build(folder, analyzers: false));
                log.WriteLine($"round {i + 1}: with {with[^1]:0} ms, without {without[^1]:0} ms");
            }

            // Cold: a fresh compiler server for every build, so nothing of an earlier build is reused.
            var coldWith = new List<double>();
            var coldWithout = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                ShutdownBuildServer();
                coldWith.Add(Build(folder, analyzers: true));
                ShutdownBuildServer();
                coldWithout.Add(Build(folder, analyzers: false));
                log.WriteLine($"cold round {i + 1}: with {coldWith[^1]:0} ms, without {coldWithout[^1]:0} ms");
            }

            double medianWith = Median(with), medianWithout = Median(without);
            var report = new StringBuilder();
            report.AppendLine("| build of the generated 500-file project (`dotnet build --no-incremental`) | median | runs (ms) |");
            report.AppendLine("|---|---|---|");
            report.AppendLine($"| with the Migrator analyzers | {medianWith:0} ms | {string.Join(", ", with.Select(F))} |");
            report.AppendLine($"| without | {medianWithout:0} ms | {string.Join(", ", without.Select(F))} |");
            report.AppendLine($"| ratio, warm compiler server (goal ≤ 1.05) | {medianWith / medianWithout:0.00} | |");
            report.AppendLine($"| with the analyzers, fresh compiler server each build | {Median(coldWith):0} ms | {string.Join(", ", coldWith.Select(F))} |");
            report.AppendLine($"| without, fresh compiler server each build | {Median(coldWithout):0} ms | {string.Join(", ", coldWithout.Select(F))} |");
            report.AppendLine($"| ratio, fresh compiler server | {Median(coldWith) / Median(coldWithout):0.00} | |");
            await Task.CompletedTask;
            return report.ToString();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string F(double ms) => ms.ToString("0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void ShutdownBuildServer()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["build-server", "shutdown"]) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
    }

    private static double Build(string folder, bool analyzers)
    {
        var watch = Stopwatch.StartNew();
        var process = Process.Start(new ProcessStartInfo("dotnet", ["build", folder, "--no-incremental", "-nologo", "-v:q", $"-p:WithMigratorAnalyzers={analyzers}"]) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("build failed:\n" + output);
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Generate(string folder, string repo)
    {
        string analyzer = Path.Combine(repo, "src", "Migrator.Analyzers", "bin", "Release", "netstandard2.0", "Migrator.Analyzers.dll");
        if (!File.Exists(analyzer))
        {
            throw new InvalidOperationException($"build the analyzers first: dotnet build -c Release src/Migrator.Analyzers ({analyzer} not found)");
        }

        File.WriteAllText(Path.Combine(folder, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dapper" Version="2.1.86" />
                <PackageReference Include="FluentMigrator" Version="8.0.1" />
              </ItemGroup>
              <ItemGroup Condition="'$(WithMigratorAnalyzers)' == 'true'">
                <Analyzer Include="{analyzer}" />
                <Analyzer Include="$([MSBuild]::EnsureTrailingSlash('$(NuGetPackageRoot)'))superpower/3.2.1/lib/netstandard2.0/Superpower.dll" />
                <AdditionalFiles Include="migrator-schema.txt" />
              </ItemGroup>
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
    }
}
