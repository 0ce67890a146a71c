using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>The shop sample through every command, in order, on a real database.</summary>
public sealed class LifecycleTests : DatabaseTest
{
    [Test]
    public async Task Shop_changes_go_from_pending_to_contracted_and_every_phase_is_idempotent()
    {
        var baseline = await CliRunner.ShopAsync(ConnectionString, "expand", "--change", "202611230001");
        Assert.That(baseline.ExitCode, Is.EqualTo(0), baseline.ToString());
        await ShopSeeder.SeedAsync(DataSource, customers: 2_500);
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "deploy", "register", "1.0.0", "--slot", "blue")).ExitCode, Is.EqualTo(0));

        var refused = await CliRunner.ShopAsync(ConnectionString, "deploy", "register", "2.0.0");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("202611230002").And.Contain("not expanded"));

        var expand = await CliRunner.ShopAsync(ConnectionString, "expand");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That(expand.Output, Does.Contain("expanded 2 change(s)"));
        var again = await CliRunner.ShopAsync(ConnectionString, "expand");
        Assert.That(again.Output, Does.Contain("nothing to expand"), again.ToString());
        Assert.That(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.ix_orders_placed_at'::regclass"), Is.True);

        var plan = await CliRunner.ShopAsync(ConnectionString, "plan");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Match(@"202611230002 .* expanded +\S* *│ backfill"), "with a connection, plan shows the ledger's state");

        var closed = await CliRunner.ShopAsync(ConnectionString, "gate", "--to", "2.0.0");
        Assert.That(closed.ExitCode, Is.EqualTo(1), closed.ToString());
        Assert.That(closed.Output, Does.Contain("WAIT").And.Contain("gate closed"), "a backfill still to run is a check that is not yet done (WAIT), not a failure");

        var backfill = await CliRunner.ShopAsync(ConnectionString, "backfill", "--batch-size", "700");
        Assert.That(backfill.ExitCode, Is.EqualTo(0), backfill.ToString());
        Assert.That(backfill.Output, Does.Contain("2500 rows in 4 batches"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS DISTINCT FROM email"), Is.EqualTo(0));
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "backfill")).Output, Does.Contain("nothing to backfill"));

        Assert.That((await CliRunner.ShopAsync(ConnectionString, "deploy", "register", "2.0.0", "--slot", "green")).ExitCode, Is.EqualTo(0));
        var open = await CliRunner.ShopAsync(ConnectionString, "gate", "--to", "2.0.0");
        Assert.That(open.ExitCode, Is.EqualTo(0), open.ToString());

        var early = await CliRunner.ShopAsync(ConnectionString, "contract", "--change", "202611230002");
        Assert.That(early.ExitCode, Is.EqualTo(1), early.ToString());
        Assert.That(early.Error, Does.Contain("1.0.0"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.EqualTo(1));

        Assert.That((await CliRunner.ShopAsync(ConnectionString, "deploy", "retire", "1.0.0")).ExitCode, Is.EqualTo(0));
        var contract = await CliRunner.ShopAsync(ConnectionString, "contract");
        Assert.That(contract.ExitCode, Is.EqualTo(0), contract.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<string>("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email_address'"), Is.EqualTo("NO"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'migrator_sync_%'"), Is.EqualTo(0));
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "contract")).Output, Does.Contain("nothing contracted"));

        var status = await CliRunner.ShopAsync(ConnectionString, "status");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Output, Does.Contain("contracted"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.history WHERE command = 'contract' AND outcome = 'refused'"), Is.EqualTo(1));
    }
}
