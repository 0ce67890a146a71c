using System.Text.Json;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Cli;

/// <summary>
/// The audit trail as a command (`history`, text or JSON, filtered by change, read-only), bare commands
/// showing their help as dotnet-ef does, and JSON reports that keep SQL readable (no \u0022 escapes).
/// </summary>
public sealed class HistoryAndHelpTests : DatabaseTest
{
    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    [Test]
    public async Task History_lists_the_audit_trail_newest_first_as_text_or_json_and_only_reads()
    {
        var empty = await Cli("history", "--format", "json");
        Assert.That(empty.ExitCode, Is.EqualTo(0), empty.ToString());
        Assert.That(JsonDocument.Parse(empty.Output).RootElement.GetProperty("history").GetArrayLength(), Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'migrator'"), Is.EqualTo(0), "history creates no ledger");

        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "blue")).ExitCode, Is.EqualTo(0));
        var json = await Cli("history", "--format", "json");
        var entries = JsonDocument.Parse(json.Output).RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.GetProperty("command").GetString()), Is.EqualTo(new[] { "deploy register 1.0.0", "expand" }), "newest first");
        Assert.That(entries[1].GetProperty("changeId").GetInt64(), Is.EqualTo(202611230001));
        Assert.That(entries[1].GetProperty("outcome").GetString(), Is.EqualTo("done"));

        var one = await Cli("history", "--change", "202611230001", "--format", "json");
        Assert.That(JsonDocument.Parse(one.Output).RootElement.GetProperty("history").GetArrayLength(), Is.EqualTo(1));
        var text = await Cli("history", "--limit", "1");
        Assert.That(text.Output, Does.Contain("deploy register 1.0.0").And.Not.Contain("expand"));
        Assert.That((await Cli("history", "--format", "yaml")).ExitCode, Is.EqualTo(2));
    }

    [Test]
    public async Task Status_and_deploy_list_have_a_json_shape()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "blue")).ExitCode, Is.EqualTo(0));
        var status = JsonDocument.Parse((await Cli("status", "--format", "json")).Output).RootElement;
        Assert.That(status.GetProperty("formatVersion").GetInt32(), Is.EqualTo(1));
        var changes = status.GetProperty("changes").EnumerateArray().ToList();
        Assert.That(changes.Select(c => (c.GetProperty("id").GetInt64(), c.GetProperty("state").GetString())),
            Is.EqualTo(new[] { (202611230001L, "backfilled"), (202611230002L, "pending"), (202611230003L, "pending") }));
        Assert.That(changes[0].GetProperty("expand").GetProperty("status").GetString(), Is.EqualTo("done"));
        Assert.That(changes[1].GetProperty("next").GetString(), Is.EqualTo("expand"));
        Assert.That(status.GetProperty("live").EnumerateArray().Single().GetProperty("slot").GetString(), Is.EqualTo("blue"));
        Assert.That(status.GetProperty("drift").GetProperty("recorded").GetBoolean(), Is.True);
        Assert.That(status.GetProperty("drift").GetProperty("items").GetArrayLength(), Is.EqualTo(0));

        var list = JsonDocument.Parse((await Cli("deploy", "list", "--format", "json")).Output).RootElement;
        var only = list.GetProperty("deployments").EnumerateArray().Single();
        Assert.That((only.GetProperty("version").GetString(), only.GetProperty("live").GetBoolean()), Is.EqualTo(("1.0.0", true)));
    }

    [TestCase(new string[0], "expand")]
    [TestCase(new[] { "deploy" }, "register")]
    [TestCase(new[] { "deploy", "hold" }, "release")]
    public async Task A_bare_command_shows_its_help_and_exits_0(string[] args, string listed)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("Usage:").And.Contain(listed));
        Assert.That(result.Error, Is.Empty);
    }

    [Test]
    public async Task Json_reports_keep_quotes_in_sql_readable()
    {
        var plan = await CliRunner.RunAsync("plan", "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--format", "json");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Not.Contain("\\u0022").And.Contain("\\\"public\\\".\\\"customers\\\""));
    }
}
