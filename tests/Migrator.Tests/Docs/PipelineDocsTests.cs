using System.Text.Json;
using System.Text.RegularExpressions;
using Migrator.Cli;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Docs;

/// <summary>Every `dotnet migrator …` command in docs/pipelines.md and docs/adopting.md (shell lines and Kubernetes args arrays)
/// parses against the real command surface: no unknown command, option or missing argument.</summary>
public partial class PipelineDocsTests
{
    [TestCase("pipelines.md", 12)]
    [TestCase("adopting.md", 8)]
    public void Every_command_in_the_pipeline_examples_parses(string doc, int atLeast)
    {
        string text = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", doc));
        var commands = new List<string[]>();
        foreach (Match match in ShellCommand().Matches(text))
        {
            commands.Add(Split(match.Groups[1].Value));
        }

        foreach (Match match in ArgsArray().Matches(text))
        {
            commands.Add(JsonSerializer.Deserialize<string[]>(match.Groups[1].Value)!);
        }

        Assert.That(commands, Has.Count.GreaterThanOrEqualTo(atLeast));
        var root = MigratorCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null));
        foreach (var args in commands)
        {
            var parse = root.Parse(args);
            Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, "dotnet migrator " + string.Join(" ", args));
            Assert.That(parse.CommandResult.Command, Is.Not.SameAs(root), "dotnet migrator " + string.Join(" ", args));
        }
    }

    private static string[] Split(string line) =>
        [.. Word().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Value)];

    [GeneratedRegex(@"dotnet migrator ((?:[^`\n|&;]|\|\|)+?)(?=`|\n|$| \|\|)")]
    private static partial Regex ShellCommand();

    [GeneratedRegex(@"args: (\[""[^\]]*\])")]
    private static partial Regex ArgsArray();

    [GeneratedRegex(@"""([^""]*)""|\S+")]
    private static partial Regex Word();
}
