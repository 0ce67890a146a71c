using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>
/// A table with its own last_update trigger. Regression: a backfill fired it on every row and stamped
/// all of them with the backfill's time. `plan` now lists the trigger (MIG0113), and
/// `backfill --skip-user-triggers` keeps it from firing on the backfill's writes while the app's own
/// writes still fire it.
/// </summary>
public sealed class UserTriggerTests : DatabaseTest
{
    [Test]
    public async Task Plan_lists_the_tables_own_triggers_and_the_backfill_can_keep_them_from_firing()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 500);
        await ExecuteAsync("""
            ALTER TABLE customers ADD COLUMN last_update timestamptz NOT NULL DEFAULT '2000-01-01';
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.last_update := now(); RETURN NEW; END $$;
            CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch();
            """);
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        var plan = await Cli("plan", "--format", "json");
        Assert.That(plan.Output, Does.Contain("MIG0113").And.Contain("customers_touch").And.Contain("--skip-user-triggers"));

        var backfill = await Cli("backfill", "--skip-user-triggers");
        Assert.That(backfill.ExitCode, Is.EqualTo(0), backfill.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS NULL"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE last_update <> '2000-01-01'"), Is.EqualTo(0), "no row stamped by the backfill");

        // The app's own writes still fire it.
        await ExecuteAsync("UPDATE customers SET name = name || '!' WHERE id = 1");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE last_update <> '2000-01-01'"), Is.EqualTo(1));
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);
}
