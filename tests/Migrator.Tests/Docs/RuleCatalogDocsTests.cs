using Migrator.Analyzers;
using Migrator.Compatibility.HazardRules;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Docs;

/// <summary>docs/rules stays equal to the rule catalog: a page per rule and one README row each, with the
/// same squawk / strong_migrations / Atlas names; every hazard rule of the checker is in the catalog.</summary>
public class RuleCatalogDocsTests
{
    private static string Rules => Path.Combine(CliRunner.RepoRoot, "docs", "rules");

    [Test]
    public void Every_rule_has_a_page_with_bad_and_good_examples_and_a_row_in_the_index()
    {
        var index = File.ReadAllLines(Path.Combine(Rules, "README.md")).Where(l => l.StartsWith("| [MIG", StringComparison.Ordinal)).ToList();
        Assert.That(index, Has.Count.EqualTo(RuleInfo.All.Count));
        foreach (var rule in RuleInfo.All)
        {
            string page = File.ReadAllText(Path.Combine(Rules, rule.Id + ".md"));
            Assert.That(page, Does.StartWith($"# {rule.Id}:").And.Contain("Bad:").And.Contain("Good:"), rule.Id);
            Assert.That(index, Does.Contain($"| [{rule.Id}]({rule.Id}.md) | {rule.Title} | {rule.Squawk} | {rule.StrongMigrations} | {rule.Atlas} |"), rule.Id);
        }
    }

    [Test]
    public void Every_hazard_rule_of_the_checker_has_a_distinct_catalogued_id()
    {
        var ids = HazardCatalog.Rules.Select(r => r.Id).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids.Select(id => RuleInfo.Get(id).Id), Is.EqualTo(ids));
    }
}
