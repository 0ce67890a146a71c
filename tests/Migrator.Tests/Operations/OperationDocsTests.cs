using System.Text;
using System.Text.RegularExpressions;
using Migrator.Authoring;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;

namespace Migrator.Tests.Operations;

/// <summary>
/// docs/operations.md shows, for every operation, the SQL its scenario generates. This test keeps
/// the page true to the code: each <c>&lt;!-- sql:Name --&gt;</c> block must equal what the compiler
/// produces now. With MIGRATOR_WRITE_DOCS=1 it rewrites the blocks instead (then review the diff).
/// </summary>
public sealed partial class OperationDocsTests
{
    [Test]
    public void Operations_page_shows_the_sql_each_operation_generates()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "operations.md");
        var scenarios = OperationScenarios.All().ToDictionary(s => s.Change.Name);
        var (updated, stale) = Compare(File.ReadAllText(path), scenarios);
        if (Environment.GetEnvironmentVariable("MIGRATOR_WRITE_DOCS") == "1")
        {
            // Rewrite the blocks, then check the page as written like any other run.
            File.WriteAllText(path, updated);
            (_, stale) = Compare(File.ReadAllText(path), scenarios);
        }

        var documented = Block().Matches(File.ReadAllText(path)).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(stale, Is.Empty, "blocks of docs/operations.md that differ from the generated SQL (regenerate with MIGRATOR_WRITE_DOCS=1)");
            Assert.That(scenarios.Keys.Where(k => !documented.Contains(k)), Is.Empty, "operations with no SQL block in docs/operations.md");
        });
    }

    /// <summary>The page with every block regenerated, and the names of the blocks that differed.</summary>
    private static (string Updated, List<string> Stale) Compare(string page, IReadOnlyDictionary<string, OperationScenario> scenarios)
    {
        var stale = new List<string>();
        string updated = Block().Replace(page, match =>
        {
            string name = match.Groups["name"].Value;
            if (!scenarios.TryGetValue(name, out var scenario))
            {
                stale.Add($"{name}: no such scenario");
                return match.Value;
            }

            string expected = $"<!-- sql:{name} -->\n{Render(scenario)}<!-- end -->";
            if (match.Value.ReplaceLineEndings("\n") != expected)
            {
                stale.Add(name);
            }

            return expected;
        });
        return (updated, stale);
    }

    private static string Render(OperationScenario scenario)
    {
        var plan = new PhaseCompiler(new PostgresDialect()).Compile(
            ChangeCatalog.FromTypes([typeof(ScenarioBase), scenario.Change], scenario.Name), new SchemaModel())[1];
        var text = new StringBuilder("```sql\n");
        Steps(text, "expand", plan.Expand);
        foreach (var spec in plan.Backfills)
        {
            text.Append($"-- backfill (keyset batches on {spec.Key ?? "the primary key"})\nUPDATE {PgSql.Qualified(spec.Schema, spec.Table)} SET {spec.Set} WHERE {spec.Pending};\n");
        }

        Steps(text, "contract", plan.Contract);
        Steps(text, "rollback", plan.Rollback);
        return text.Append("```\n").ToString();
    }

    private static void Steps(StringBuilder text, string phase, IReadOnlyList<PhaseStep> steps)
    {
        for (int i = 0; i < steps.Count; i++)
        {
            text.Append($"-- {phase} step {i + 1}/{steps.Count}{(steps[i].Transactional ? "" : " (outside a transaction)")}\n");
            foreach (var statement in steps[i].Statements)
            {
                text.Append(statement.Sql.ReplaceLineEndings("\n").TrimEnd()).Append('\n');
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Migrator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Migrator.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<!-- sql:(?<name>\w+) -->.*?<!-- end -->", RegexOptions.Singleline)]
    private static partial Regex Block();
}
