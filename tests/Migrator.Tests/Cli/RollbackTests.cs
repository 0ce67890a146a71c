using Migrator.Dialects.Postgres;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>`rollback --change` through the CLI on the shop sample: the schema ends exactly as it was
/// before the expand, the change is pending again, and rollback is refused where it would break.</summary>
public sealed class RollbackTests : DatabaseTest
{
    private const string Rename = "202611230002";
    private const string Index = "202611230003";

    [Test]
    public async Task Rollback_of_an_expanded_and_partly_backfilled_change_restores_the_schema_and_is_refused_when_unsafe()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 1_200);
        var before = await SnapshotAsync();

        var expand = await Cli("expand", "--to", "2.0.0");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That(expand.Output, Does.Contain("expanded 2 change(s)"), "--to expands every change 2.0.0 needs in one run");
        await ExecuteAsync("UPDATE customers SET email_address = email WHERE id <= 300");

        // A live 2.0.0 needs the change: refused without --force, and nothing is touched.
        Assert.That((await Cli("deploy", "register", "2.0.0", "--early")).ExitCode, Is.EqualTo(0));
        var refused = await Cli("rollback", "--change", Rename);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("2.0.0").And.Contain("need change"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE column_name = 'email_address'"), Is.EqualTo(1));
        Assert.That((await Cli("deploy", "retire", "2.0.0")).ExitCode, Is.EqualTo(0));

        foreach (string change in new[] { Index, Rename })
        {
            var rollback = await Cli("rollback", "--change", change);
            Assert.That(rollback.ExitCode, Is.EqualTo(0), rollback.ToString());
            Assert.That(rollback.Output, Does.Contain("pending again"));
        }

        Assert.That(await SnapshotAsync(), Is.EqualTo(before), "schema after rollback");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.phases WHERE change_id IN (202611230002, 202611230003)"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.history WHERE command = 'rollback' AND outcome = 'done'"), Is.EqualTo(2));

        var again = await Cli("rollback", "--change", Rename);
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        Assert.That(again.Output, Does.Contain("nothing to roll back"));

        // The change can go forward again, and once its contract has started it can no longer roll back.
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("contract", "--change", Rename)).ExitCode, Is.EqualTo(0));
        var late = await Cli("rollback", "--change", Rename);
        Assert.That(late.ExitCode, Is.EqualTo(1), late.ToString());
        Assert.That(late.Error, Does.Contain("contracted"));
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    private async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await SchemaSnapshot.ReadAsync(connection);
    }
}
