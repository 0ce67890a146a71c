using System.Text.RegularExpressions;
using Migrator.Compatibility.Lint;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Lint;

/// <summary>The rule pages are runnable text: each hazard rule page's "Bad:" SQL is linted and must get that
/// rule, and its "Good:" SQL (where the page gives SQL) must not. A block starting with
/// <c>-- lint --pg-version N</c> is linted for that version; one with <c>-- lint --provider sqlserver</c>
/// is read as T-SQL (ScriptDom) with SQL Server's rules.</summary>
public sealed partial class RulePageExamplesTests
{
    public static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "docs", "rules"), "MIG00*.md").Select(Path.GetFileNameWithoutExtension).Order()!;

    [TestCaseSource(nameof(Pages))]
    public void Bad_sql_gets_the_rule_and_good_sql_does_not(string id)
    {
        string page = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "rules", id + ".md"));
        var bad = Block().Match(page[page.IndexOf("Bad:", StringComparison.Ordinal)..]);
        var good = Block().Match(page[page.IndexOf("Good:", StringComparison.Ordinal)..]);
        if (!bad.Success || bad.Groups["lang"].Value != "sql")
        {
            Assert.That(page, Does.Contain("```csharp"), $"{id}: an analyzer-only rule shows C#; any other page shows the SQL it reports");
            return;
        }

        var reported = Rules(bad.Groups["sql"].Value).Where(f => f.RuleId == id).ToList();
        Assert.That(reported, Is.Not.Empty, $"{id}: its Bad example");
        if (good.Success && good.Groups["lang"].Value == "sql" && Regex.IsMatch(good.Groups["sql"].Value, @"(?m)^\s*[A-Za-z]"))
        {
            // A rule that warns on the bad example may still note the good one (ADD VALUE, a plain TRUNCATE).
            var floor = reported.Max(f => f.Severity);
            Assert.That(Rules(good.Groups["sql"].Value).Where(f => f.RuleId == id && f.Severity >= floor).Select(f => f.ToString()), Is.Empty, $"{id}: its Good example");
        }
    }

    private static List<LintFinding> Rules(string sql)
    {
        var version = Regex.Match(sql, @"--\s*lint --pg-version (\d+)");
        var options = new LintOptions
        {
            PgVersion = version.Success ? int.Parse(version.Groups[1].Value) : 15,
            Dialect = Regex.IsMatch(sql, @"--\s*lint --provider sqlserver") ? new Migrator.Dialects.SqlServer.SqlServerDialect() : new Migrator.Dialects.Postgres.PostgresDialect(),
        };
        return [.. SqlFileLinter.Lint([("example.sql", sql)], options)];
    }

    [GeneratedRegex("```(?<lang>\\w+)\\n(?<sql>[\\s\\S]*?)```")]
    private static partial Regex Block();
}
