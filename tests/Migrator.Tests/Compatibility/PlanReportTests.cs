using System.Text.Json;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Compatibility;

/// <summary>`plan` with usage manifests and no database: what the checker finds and how each report format shows it.</summary>
public class PlanReportTests
{
    [Test]
    public async Task The_shop_changes_break_neither_app_version()
    {
        var result = await CliRunner.RunAsync("plan", "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations,
            "--usage", "1.0.0=" + ShopManifests.V1, "--usage", "2.0.0=" + ShopManifests.V2);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("safe: 0 error(s)").And.Contain("app versions checked: 1.0.0, 2.0.0"));
        Assert.That(result.Output, Does.Contain("MIG0108"), "the rename's contract waits for 1.0.0");
    }

    [Test]
    public async Task Markdown_shows_the_break_with_its_file_and_line_and_the_rollout_timeline()
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--format", "markdown", "--usage", "1.0.0=" + ShopManifests.V1, "--usage", "2.0.0=" + ShopManifests.V2);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        string md = result.Output;
        Assert.That(md, Does.StartWith("## Migrator plan: ❌ UNSAFE: 1 error(s)"));
        Assert.That(md, Does.Contain("### Change 202611230004: Drop order_lines.price_cents"));
        Assert.That(md, Does.Contain($"| ❌ | [MIG0101](https://github.com/migrator/migrator/blob/main/docs/rules/MIG0101.md) | contract | 2.0.0 | `OrderRepository.cs:{ShopManifests.V2OrderLineInsert}` | contract of change 202611230004 breaks 2.0.0: writes column order_lines.price_cents"));
        Assert.That(md, Does.Contain("```mermaid\ntimeline").And.Contain("deploy 2.0.0 : register 2.0.0 beside 1.0.0"));
    }

    [Test]
    public async Task Markdown_links_rules_under_the_configured_base_and_shows_every_statement_whole()
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--format", "markdown", "--rule-docs-url", "https://docs.example.com/migrator/rules", "--usage", "2.0.0=" + ShopManifests.V2);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        string md = result.Output;
        Assert.That(md, Does.Contain("[MIG0101](https://docs.example.com/migrator/rules/MIG0101.md)"));
        Assert.That(md, Does.Not.Contain("](docs/rules/"), "no relative link: it is a 404 in a pull-request comment");

        // Every statement of every phase appears whole (nothing cut at 68 characters), in a SQL block;
        // the long ones are collapsed.
        var json = await ShopManifests.NextAsync(null, "plan", "--format", "json");
        using var plan = JsonDocument.Parse(json.Output);
        var statements = plan.RootElement.GetProperty("changes").EnumerateArray()
            .SelectMany(c => c.GetProperty("expand").EnumerateArray().Concat(c.GetProperty("contract").EnumerateArray()))
            .SelectMany(step => step.GetProperty("sql").EnumerateArray().Select(sql => sql.GetString()!))
            .ToList();
        Assert.That(statements, Has.Count.GreaterThan(20));
        Assert.That(statements.Max(st => st.Length), Is.GreaterThan(200), "the sample has long statements");
        foreach (string statement in statements)
        {
            Assert.That(md, Does.Contain(statement.TrimEnd()));
        }

        Assert.That(md, Does.Contain("<details>\n<summary>expand:").And.Contain("```sql\n"));
        Assert.That(md, Does.Contain("<details open>"), "short phases are shown open");
    }

    [Test]
    public async Task A_rule_docs_url_that_is_not_an_absolute_http_url_is_refused()
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--rule-docs-url", "docs/rules");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.Trim(), Does.StartWith("error: flags: ruleDocsUrl must be an absolute http(s) URL").And.Not.Contain("\n"));
    }

    [Test]
    public async Task Json_report_lists_changes_and_findings_with_the_exit_code()
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--format", "json", "--usage", "2.0.0=" + ShopManifests.V2);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("formatVersion").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("exitCode").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("changes").GetArrayLength(), Is.EqualTo(5));
        var breaks = root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == "error").ToList();
        Assert.That(breaks, Has.Count.EqualTo(1));
        Assert.That(breaks[0].GetProperty("ruleId").GetString(), Is.EqualTo("MIG0101"));
        Assert.That(breaks[0].GetProperty("location").GetString(), Is.EqualTo($"OrderRepository.cs:{ShopManifests.V2OrderLineInsert}"));
        Assert.That(breaks[0].GetProperty("changeId").GetInt64(), Is.EqualTo(202611230004));
    }

    [Test]
    public async Task Sarif_report_is_sarif_2_1_0_with_rules_and_physical_locations()
    {
        string file = Path.Combine(Path.GetTempPath(), $"migrator-{Guid.NewGuid():N}.sarif");
        var result = await ShopManifests.NextAsync(null, "plan", "--format", "sarif", "-o", file, "--usage", "2.0.0=" + ShopManifests.V2);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("report written to " + file));
        using var sarif = JsonDocument.Parse(File.ReadAllText(file));
        File.Delete(file);
        Assert.That(sarif.RootElement.GetProperty("version").GetString(), Is.EqualTo("2.1.0"));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "MIG0101");
        Assert.That(rule.GetProperty("helpUri").GetString(), Is.EqualTo("https://github.com/migrator/migrator/blob/main/docs/rules/MIG0101.md"));
        var error = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("level").GetString() == "error");
        var location = error.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.That(location.GetProperty("artifactLocation").GetProperty("uri").GetString(), Is.EqualTo("OrderRepository.cs"));
        Assert.That(location.GetProperty("region").GetProperty("startLine").GetInt32(), Is.EqualTo(ShopManifests.V2OrderLineInsert));
    }

    [Test]
    public async Task Without_a_manifest_expand_may_remove_nothing_and_contract_follows_the_version_rules()
    {
        // No --usage: no version is checked, and the shop-next plan is safe offline (the hazards are clean).
        var result = await ShopManifests.NextAsync(null, "plan");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("no app version checked"));
    }

    [TestCase("2.0.0", "--usage expects VERSION=FILE")]
    [TestCase("x=y.json", "--usage version")]
    [TestCase("2.0.0=/nonexistent/usage.json", "usage manifest not found: /nonexistent/usage.json")]
    public async Task Bad_usage_options_are_one_line_errors_with_exit_2(string value, string message)
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--usage", value);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.Trim(), Does.Contain(message).And.Not.Contain("\n"));
    }

    [Test]
    public async Task A_manifest_for_another_version_is_refused()
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--usage", "2.0.0=" + ShopManifests.V1);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("is for app version 1.0.0, not 2.0.0"));
    }

    [Test]
    public async Task Verify_without_a_database_is_bad_input()
    {
        var result = await ShopManifests.NextAsync(null, "plan", "--verify");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("--verify needs a database"));
    }
}
