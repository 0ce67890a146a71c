using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Docs;

/// <summary>
/// The README runs as written: every ```sh block (except the one marked not-run-by-the-readme-test,
/// the test command itself) runs in order, in one bash script with <c>set -euo pipefail</c>, in a copy of
/// this repository, against an empty database of the test cluster. The only change made to the text
/// is the connection string in its <c>export MIGRATOR_CONNECTION=…</c> line. The local tool is
/// packed and installed exactly as the README says, so `dotnet migrator` is the installed tool.
/// </summary>
public partial class ReadmeTests
{
    private const string Placeholder = "Host=localhost;Username=app;Password=secret;Database=shop";

    [Test]
    public void The_readme_blocks_are_found_and_only_the_test_command_is_left_out()
    {
        var blocks = Blocks(File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md")));
        Assert.That(blocks.Count(b => b.Run), Is.GreaterThanOrEqualTo(6));
        Assert.That(blocks.Where(b => !b.Run).Select(b => b.Code.Trim()), Is.EqualTo(new[] { "dotnet test Migrator.sln" }));
        Assert.That(Regex.Matches(string.Join("\n", blocks.Select(b => b.Code)), Regex.Escape(Placeholder)), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_readme_runs_as_written_against_an_empty_database()
    {
        string connection = TestServer.Cluster.CreateDatabase("t_readme");
        string scratch = Path.Combine(Path.GetTempPath(), "migrator-readme-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ScratchRepository.Copy(CliRunner.RepoRoot, scratch);
            var blocks = Blocks(File.ReadAllText(Path.Combine(scratch, "README.md"))).Where(b => b.Run).ToList();
            var script = new StringBuilder("set -euo pipefail\n");
            foreach (var block in blocks)
            {
                script.AppendLine($"echo '>>> README block at line {block.Line}'");
                script.AppendLine(block.Code.Replace(Placeholder, connection));
            }

            File.WriteAllText(Path.Combine(scratch, "readme.sh"), script.ToString());
            var (code, output) = await ScratchRepository.RunBashAsync(scratch, "readme.sh");
            TestContext.Out.WriteLine(output);
            Assert.That(code, Is.EqualTo(0), "the README's blocks failed; the output is above");

            // What the README says happened, happened.
            Assert.That(output, Does.Contain("seeded 2000 customers"));
            Assert.That(output, Does.Contain("2000 rows in"), "the backfill copied the seeded rows");
            Assert.That(output, Does.Contain("gate open: traffic may switch to 2.0.0"));
            Assert.That(output, Does.Contain("verified in a rolled-back transaction"));
            Assert.That(output, Does.Contain("MIG0101").And.Contain("order_lines.price_cents"), "shop-next's break is shown");

            await using var db = NpgsqlDataSource.Create(connection);
            await using var command = db.CreateCommand(
                "SELECT (SELECT count(*) FROM customers WHERE email_address IS NOT NULL), " +
                "(SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'), " +
                "(SELECT count(*) FROM migrator.phases WHERE phase = 'contract' AND status = 'done')");
            await using var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True);
            Assert.That(reader.GetInt64(0), Is.EqualTo(2000), "every customer has its email_address");
            Assert.That(reader.GetInt64(1), Is.Zero, "the contract dropped customers.email");
            Assert.That(reader.GetInt64(2), Is.EqualTo(3), "the three changes are contracted");
        }
        finally
        {
            TestServer.Cluster.DropDatabase(connection);
            TryDelete(scratch);
        }
    }

    private sealed record Block(int Line, string Code, bool Run);

    private static List<Block> Blocks(string markdown)
    {
        var blocks = new List<Block>();
        foreach (Match match in Fenced().Matches(markdown))
        {
            int line = markdown[..match.Index].Count(c => c == '\n') + 1;
            blocks.Add(new Block(line, match.Groups["code"].Value, !match.Groups["info"].Value.Contains("not-run-by-the-readme-test", StringComparison.Ordinal)));
        }

        return blocks;
    }

    [GeneratedRegex(@"^```sh(?<info>[^\n]*)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fenced();

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
