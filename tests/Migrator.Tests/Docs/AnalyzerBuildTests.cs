using System.Diagnostics;
using System.Text.RegularExpressions;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Docs;

/// <summary>
/// The analyzers in a real `dotnet build` of projects that consume them (sample-schemas/analyzer-showcase):
/// every `// expect: MIGxxxx` line gets exactly that warning and no other MIG warning appears. The shop
/// samples consume the analyzers too and build warning-free as part of the solution.
/// </summary>
public partial class AnalyzerBuildTests
{
    [TestCase("Showcase.Migrations")]
    [TestCase("Showcase.App")]
    public void Dotnet_build_reports_exactly_the_expected_warnings(string project)
    {
        string folder = Path.Combine(CliRunner.RepoRoot, "sample-schemas", "analyzer-showcase", project);
        var expected = Directory.GetFiles(folder, "*.cs")
            .SelectMany(file => File.ReadAllLines(file).Select((text, i) => (File: Path.GetFileName(file), Line: i + 1, Match: Expect().Match(text))))
            .Where(x => x.Match.Success)
            .Select(x => $"{x.File}:{x.Line}: {x.Match.Groups[1].Value}")
            .Order()
            .ToList();

        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(folder, project + ".csproj"), "--no-incremental", "-nologo", "-v:q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string output = build.StandardOutput.ReadToEnd() + build.StandardError.ReadToEnd();
        build.WaitForExit();
        Assert.That(build.ExitCode, Is.EqualTo(0), output);

        var reported = Warning().Matches(output)
            .Select(m => $"{Path.GetFileName(m.Groups[1].Value)}:{m.Groups[2].Value}: {m.Groups[3].Value}")
            .Distinct()
            .Order()
            .ToList();
        Assert.That(expected, Is.Not.Empty);
        Assert.That(reported, Is.EqualTo(expected), output);
    }

    [Test]
    public void The_package_carries_the_analyzer_and_its_parser_under_analyzers_dotnet_cs()
    {
        string output = Path.Combine(Path.GetTempPath(), "migrator-pack-" + Guid.NewGuid().ToString("N"));
        var pack = Process.Start(new ProcessStartInfo("dotnet", ["pack", Path.Combine(CliRunner.RepoRoot, "src", "Migrator.Analyzers"), "-o", output, "-nologo", "-v:q"])
        {
            RedirectStandardOutput = true,
        })!;
        string log = pack.StandardOutput.ReadToEnd();
        pack.WaitForExit();
        Assert.That(pack.ExitCode, Is.EqualTo(0), log);
        using var package = System.IO.Compression.ZipFile.OpenRead(Directory.GetFiles(output, "Migrator.Analyzers.*.nupkg").Single());
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Directory.Delete(output, recursive: true);
        Assert.That(entries, Does.Contain("analyzers/dotnet/cs/Migrator.Analyzers.dll").And.Contain("analyzers/dotnet/cs/Superpower.dll"));
        Assert.That(entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)), Is.Empty, "an analyzer package puts nothing in the consumer's compilation");
    }

    [GeneratedRegex(@"// expect: (MIG\d{4})")]
    private static partial Regex Expect();

    [GeneratedRegex(@"([^\s(]+\.cs)\((\d+),\d+\): warning (MIG\d{4})")]
    private static partial Regex Warning();
}
