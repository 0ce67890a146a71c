using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Cli;

/// <summary>
/// Registering versions as releases really go: a version whose columns a contract removed cannot come
/// back (unless --force, recorded); deploy register and retire work while a backfill holds the ledger
/// lock; re-registering keeps the stored manifest; a live version's slot can change.
/// </summary>
public sealed class DeployRulesTests : DatabaseTest
{
    [Test]
    public async Task A_version_whose_shape_a_contract_removed_cannot_be_registered_again_without_force()
    {
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "2.0.0", "--slot", "green")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("contract")).ExitCode, Is.EqualTo(0));

        var refused = await Cli("deploy", "register", "1.0.0", "--slot", "blue");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("change 202611230002").And.Contain("customers.email"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.deployments WHERE app_version = '1.0.0'"), Is.EqualTo(0));

        var forced = await Cli("deploy", "register", "1.0.0", "--force");
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.ToString());
        Assert.That(await ScalarAsync<string>("SELECT detail FROM migrator.history WHERE command = 'deploy register 1.0.0' AND outcome = 'done'"), Does.StartWith("forced"));
    }

    [Test]
    public async Task Register_and_retire_work_while_a_backfill_holds_the_ledger_lock_and_keep_manifest_and_move_slots()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        await using var backfill = await OpenUnpooledAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock_shared(hashtextextended('migrator ledger ' || 'migrator', 0))", backfill))
        {
            await take.ExecuteNonQueryAsync();
        }

        string manifest = Compatibility.ShopManifests.V1;
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "canary", "--usage", manifest, "--lock-wait", "0")).ExitCode, Is.EqualTo(0));
        var moved = await Cli("deploy", "register", "1.0.0", "--slot", "stable", "--lock-wait", "0");
        Assert.That(moved.ExitCode, Is.EqualTo(0), moved.ToString());
        Assert.That(moved.Output, Does.Contain("slot is now stable"));
        Assert.That((await Cli("deploy", "retire", "1.0.0", "--lock-wait", "0")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "1.0.0", "--lock-wait", "0")).ExitCode, Is.EqualTo(0));
        Assert.That(await ScalarAsync<bool>("SELECT usage IS NOT NULL FROM migrator.deployments WHERE app_version = '1.0.0' AND retired_at IS NULL"), Is.True,
            "registering again keeps the manifest stored before");

        // expand still waits for the backfill: it needs the lock exclusively.
        var expand = await Cli("expand", "--lock-wait", "0");
        Assert.That(expand.ExitCode, Is.EqualTo(3), expand.ToString());
    }

    [Test]
    public async Task A_version_is_registered_only_once_its_backfills_are_verified_complete_unless_early()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await Shop.Seed.ShopSeeder.SeedAsync(DataSource, customers: 200);
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        var refused = await Cli("deploy", "register", "2.0.0");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("backfill of public.customers is not complete").And.Contain("read NULL"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.deployments WHERE app_version = '2.0.0'"), Is.EqualTo(0));

        var early = await Cli("deploy", "register", "2.0.0", "--slot", "canary", "--early");
        Assert.That(early.ExitCode, Is.EqualTo(0), early.ToString());
        Assert.That(early.Output, Does.Contain("warning: --early"));
        Assert.That(await ScalarAsync<string>("SELECT detail FROM migrator.history WHERE command = 'deploy register 2.0.0' AND outcome = 'done'"), Does.StartWith("early:"));

        Assert.That((await Cli("deploy", "retire", "2.0.0")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "2.0.0")).ExitCode, Is.EqualTo(0), "once the backfill is verified complete");
    }

    [Test]
    public async Task The_gate_opens_a_switch_back_when_only_a_change_that_removes_nothing_was_contracted()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("contract", "--change", "202611230003")).ExitCode, Is.EqualTo(0), "the index change has nothing to contract");

        var back = await Cli("gate", "--to", "1.0.0");
        Assert.That(back.ExitCode, Is.EqualTo(0), back.ToString());

        // Once the rename is contracted, 1.0.0 (which reads customers.email) may not come back: by the
        // conservative rule without a manifest, and by its manifest with one.
        Assert.That((await Cli("contract", "--change", "202611230002")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("gate", "--to", "1.0.0")).ExitCode, Is.EqualTo(1));
        var judged = await Cli("gate", "--to", "1.0.0", "--usage", "1.0.0=" + Compatibility.ShopManifests.V1);
        Assert.That(judged.ExitCode, Is.EqualTo(1), judged.ToString());
        Assert.That(judged.Output, Does.Contain("MIG0101"));
    }

    [Test]
    public async Task A_version_can_be_live_in_two_slots_and_retired_from_one()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "blue")).ExitCode, Is.EqualTo(0));
        var both = await Cli("deploy", "register", "1.0.0", "--slot", "green", "--also");
        Assert.That(both.Output, Does.Contain("live in slots blue, green"), both.ToString());
        Assert.That(await ScalarAsync<string>("SELECT slot FROM migrator.deployments WHERE app_version = '1.0.0' AND retired_at IS NULL"), Is.EqualTo("blue, green"));

        Assert.That((await Cli("deploy", "retire", "1.0.0", "--slot", "red")).ExitCode, Is.EqualTo(2));
        var one = await Cli("deploy", "retire", "1.0.0", "--slot", "blue");
        Assert.That(one.Output, Does.Contain("still live in green"), one.ToString());
        Assert.That(await ScalarAsync<string>("SELECT slot FROM migrator.deployments WHERE app_version = '1.0.0' AND retired_at IS NULL"), Is.EqualTo("green"));
        Assert.That((await Cli("deploy", "retire", "1.0.0", "--slot", "green")).ExitCode, Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.deployments WHERE app_version = '1.0.0' AND retired_at IS NULL"), Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "a,b")).ExitCode, Is.EqualTo(2));
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);
}
