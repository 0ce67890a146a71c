using System.Text.Json;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>
/// Holds that are not versions (a feature flag half rolled out) keep a contract waiting with the same
/// refusal and --force rules as a live version, and show in status, plan and gate; a contract also
/// waits out the rollback window after the retirement of a version it would break.
/// </summary>
public sealed class HoldTests : DatabaseTest
{
    private const string Rename = "202611230002";

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    private async Task BackfilledAsync()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 100);
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public async Task A_hold_keeps_the_contract_waiting_shows_everywhere_and_release_lets_it_run()
    {
        await BackfilledAsync();
        var placed = await Cli("deploy", "hold", "add", "flag:email", "--change", Rename, "--reason", "new email field at 5 %");
        Assert.That(placed.ExitCode, Is.EqualTo(0), placed.ToString());
        Assert.That((await Cli("deploy", "hold", "add", "flag:email", "--change", Rename)).Output, Does.Contain("already placed"));
        var elsewhere = await Cli("deploy", "hold", "add", "flag:email");
        Assert.That(elsewhere.ExitCode, Is.EqualTo(2), elsewhere.ToString());

        var status = await Cli("status");
        Assert.That(status.Output, Does.Contain("flag:email").And.Contain("contract after releasing hold"));
        var plan = await Cli("plan", "--format", "json");
        Assert.That(plan.Output, Does.Contain("MIG0108").And.Contain("waits on hold flag:email"));
        var gate = await Cli("gate", "--to", "2.0.0", "--format", "json");
        Assert.That(gate.ExitCode, Is.EqualTo(0), "a hold never stops traffic from switching\n" + gate);
        var check = JsonDocument.Parse(gate.Output).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "hold:flag:email");
        Assert.That((check.GetProperty("kind").GetString(), check.GetProperty("state").GetString()), Is.EqualTo(("hold", "ok")));

        var refused = await Cli("contract", "--change", Rename);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("waits on hold flag:email").And.Contain("new email field at 5 %"));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM migrator.phases WHERE change_id = {Rename} AND phase = 'contract'"), Is.EqualTo(0));

        Assert.That((await Cli("deploy", "hold", "release", "flag:email")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "hold", "release", "flag:email")).Output, Does.Contain("nothing to release"));
        var contracted = await Cli("contract", "--change", Rename);
        Assert.That(contracted.ExitCode, Is.EqualTo(0), contracted.ToString());
    }

    [Test]
    public async Task A_hold_on_every_contract_yields_to_force_which_is_recorded()
    {
        await BackfilledAsync();
        Assert.That((await Cli("deploy", "hold", "add", "report:finance", "--reason", "quarter close reads customers.email")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("contract")).ExitCode, Is.EqualTo(1));
        var forced = await Cli("contract", "--force");
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.ToString());
        Assert.That(forced.Output, Does.Contain("warning: --force").And.Contain("hold report:finance"));
        Assert.That(await ScalarAsync<string>($"SELECT detail FROM migrator.history WHERE command = 'contract' AND change_id = {Rename} AND outcome = 'done'"), Does.Contain("forced past hold report:finance"));
    }

    [Test]
    public async Task A_contract_waits_out_the_rollback_window_after_a_retirement()
    {
        await BackfilledAsync();
        string config = Path.Combine(Path.GetTempPath(), $"window-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(config, "{ \"retireWaitSeconds\": 3600 }");
        try
        {
            Task<CliResult> Windowed(params string[] args) =>
                CliRunner.RunAsync([.. args, "--config", config, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString]);
            Assert.That((await Windowed("deploy", "register", "1.0.0")).ExitCode, Is.EqualTo(0));
            Assert.That((await Windowed("deploy", "retire", "1.0.0")).ExitCode, Is.EqualTo(0));
            var refused = await Windowed("contract", "--change", Rename);
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Error, Does.Contain("1.0.0 retired at").And.Contain("waits 3600 s after a retirement"));
            var forced = await Windowed("contract", "--change", Rename, "--force");
            Assert.That(forced.ExitCode, Is.EqualTo(0), forced.ToString());
            Assert.That(await ScalarAsync<string>($"SELECT detail FROM migrator.history WHERE command = 'contract' AND change_id = {Rename} AND outcome = 'done'"), Does.Contain("rollback window of 1.0.0"));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
