using System.Text.Json;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>
/// The gate's JSON drives a pipeline's analysis step: each check has a stable id, a kind and a state
/// (ok / pending / blocked) with the backfill's numbers, and `safe` agrees with the counts.
/// </summary>
public sealed class GateReportTests : DatabaseTest
{
    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    private static JsonElement Check(JsonElement report, string id) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static void AssertConsistent(JsonElement report)
    {
        var summary = report.GetProperty("summary");
        bool clean = summary.GetProperty("errors").GetInt32() == 0 && summary.GetProperty("checksPending").GetInt32() == 0 && summary.GetProperty("checksBlocked").GetInt32() == 0;
        Assert.That(report.GetProperty("safe").GetBoolean(), Is.EqualTo(clean), "safe agrees with the counts");
        Assert.That(report.GetProperty("checks").EnumerateArray().Count(c => c.GetProperty("state").GetString() == "pending"), Is.EqualTo(summary.GetProperty("checksPending").GetInt32()));
    }

    [Test]
    public async Task Checks_say_pending_with_numbers_then_ok_and_blocked_when_a_human_must_act()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 2000);
        await ExecuteAsync("ANALYZE customers");
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        var waiting = await Cli("gate", "--to", "2.0.0", "--format", "json");
        Assert.That(waiting.ExitCode, Is.EqualTo(1), waiting.ToString());
        var report = JsonDocument.Parse(waiting.Output).RootElement;
        AssertConsistent(report);
        Assert.That(report.GetProperty("formatVersion").GetInt32(), Is.EqualTo(2));
        Assert.That(report.GetProperty("summary").GetProperty("errors").GetInt32(), Is.EqualTo(0), "a gate closed by a check is not an error finding");
        var backfill = Check(report, "backfilled:202611230002:public.customers");
        Assert.That((backfill.GetProperty("kind").GetString(), backfill.GetProperty("state").GetString()), Is.EqualTo(("backfilled", "pending")));
        Assert.That(backfill.GetProperty("changeId").GetInt64(), Is.EqualTo(202611230002));
        Assert.That(backfill.GetProperty("rowsTotal").GetInt64(), Is.EqualTo(2000), "the table's estimate");
        Assert.That(Check(report, "expanded:202611230002").GetProperty("state").GetString(), Is.EqualTo("ok"));
        Assert.That(Check(report, "contract-precondition:202611230002:1").GetProperty("state").GetString(), Is.EqualTo("pending"), "not yet: the backfill is not done");

        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
        var open = await Cli("gate", "--to", "2.0.0", "--format", "json");
        Assert.That(open.ExitCode, Is.EqualTo(0), open.ToString());
        report = JsonDocument.Parse(open.Output).RootElement;
        AssertConsistent(report);
        Assert.That(report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("state").GetString()), Is.All.EqualTo("ok"));
        Assert.That(Check(report, "backfilled:202611230002:public.customers").GetProperty("rowsDone").GetInt64(), Is.EqualTo(2000));

        Assert.That((await Cli("contract")).ExitCode, Is.EqualTo(0));
        var back = await Cli("gate", "--to", "1.0.0", "--format", "json");
        Assert.That(back.ExitCode, Is.EqualTo(1), back.ToString());
        report = JsonDocument.Parse(back.Output).RootElement;
        AssertConsistent(report);
        var version = Check(report, "version:1.0.0");
        Assert.That((version.GetProperty("kind").GetString(), version.GetProperty("state").GetString(), version.GetProperty("version").GetString()), Is.EqualTo(("version", "blocked", "1.0.0")));
    }
}
