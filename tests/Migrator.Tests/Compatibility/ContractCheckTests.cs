using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Compatibility;

/// <summary>
/// The checker on a real database with manifests stored by `deploy register --usage`: contract is refused
/// while a live version still uses what it drops, whatever the version rules allow, and runs once the
/// version that uses it is retired.
/// </summary>
public sealed class ContractCheckTests : DatabaseTest
{
    private Task<CliResult> Next(params string[] args) => ShopManifests.NextAsync(ConnectionString, args);

    [Test]
    public async Task A_drop_a_live_version_still_writes_is_refused_until_that_version_is_retired()
    {
        Assert.That((await Next("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 200);
        var register = await Next("deploy", "register", "1.0.0", "--usage", ShopManifests.V1);
        Assert.That(register.ExitCode, Is.EqualTo(0), register.ToString());

        // Expand of every change is additive: 1.0.0 (with its manifest) is not broken by it.
        var expand = await Next("expand");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That((await Next("backfill")).ExitCode, Is.EqualTo(0));
        Assert.That((await Next("deploy", "register", "2.0.0", "--usage", ShopManifests.V2)).ExitCode, Is.EqualTo(0));

        // 1.0.0 is live and older than the change's version: the version rules refuse.
        var whileV1 = await Next("contract", "--change", "202611230004");
        Assert.That(whileV1.ExitCode, Is.EqualTo(1), whileV1.ToString());
        Assert.That(whileV1.Error, Does.Contain("1.0.0"));

        // Only 2.0.0 is live: the version rules allow it, the checker does not: 2.0.0 still writes the column.
        Assert.That((await Next("deploy", "retire", "1.0.0")).ExitCode, Is.EqualTo(0));
        var whileV2 = await Next("contract", "--change", "202611230004");
        Assert.That(whileV2.ExitCode, Is.EqualTo(1), whileV2.ToString());
        Assert.That(whileV2.Error, Does.Contain("breaks 2.0.0: writes column order_lines.price_cents")
            .And.Contain($"OrderRepository.cs:{ShopManifests.V2OrderLineInsert}"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'order_lines' AND column_name = 'price_cents'"), Is.EqualTo(1));

        // The rename's contract breaks nobody now: 2.0.0 uses email_address only.
        var rename = await Next("contract", "--change", "202611230002");
        Assert.That(rename.ExitCode, Is.EqualTo(0), rename.ToString());

        // 2.1.0 stops writing the column; while 2.0.0 is live the drop still waits, after its retirement it runs.
        Assert.That((await Next("deploy", "register", "2.1.0", "--usage", ShopManifests.V21)).ExitCode, Is.EqualTo(0));
        Assert.That((await Next("contract", "--change", "202611230004")).ExitCode, Is.EqualTo(1));
        Assert.That((await Next("deploy", "retire", "2.0.0")).ExitCode, Is.EqualTo(0));
        var allowed = await Next("contract", "--change", "202611230004");
        Assert.That(allowed.ExitCode, Is.EqualTo(0), allowed.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'order_lines' AND column_name = 'price_cents'"), Is.EqualTo(0));

        // And the gate to 2.1.0 opens: every statement of 2.1.0 finds its tables and columns.
        var gate = await Next("gate", "--to", "2.1.0");
        Assert.That(gate.ExitCode, Is.EqualTo(0), gate.ToString());
    }
}
