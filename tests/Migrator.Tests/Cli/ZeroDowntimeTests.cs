using Migrator.Tests.Infrastructure;
using Npgsql;
using Shop.Seed;
using V1 = Shop.App.V1;
using V2 = Shop.App.V2;

namespace Migrator.Tests.Cli;

/// <summary>
/// The heart of the foundation: app 1.0.0 and app 2.0.0 of the shop sample run real Dapper
/// workloads against one database while the CLI expands, backfills, gates, and contracts the rename
/// of customers.email to email_address. Neither version may see an error while it is live, every row
/// either writes must read back the same through both while both are live, and nothing is lost.
/// </summary>
public sealed class ZeroDowntimeTests : DatabaseTest
{
    private const int SeedCustomers = 50_000;
    private const int WritersPerVersion = 3;
    private const int ReadersPerVersion = 2;

    [Test]
    public async Task Rename_runs_expand_backfill_contract_while_v1_and_v2_both_write_and_read()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, SeedCustomers);
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "blue")).ExitCode, Is.EqualTo(0));

        using var v1Stop = new CancellationTokenSource();
        using var v2Stop = new CancellationTokenSource();
        var v2Live = new ManualResetEventSlim(false);
        var v1 = new VersionWorkload("1.0.0");
        var v2 = new VersionWorkload("2.0.0");
        await using var v1Db = NpgsqlDataSource.Create(ConnectionString);
        await using var v2Db = NpgsqlDataSource.Create(ConnectionString);
        var v1Tasks = StartV1(v1, v1Db, v2Db, v2Live, v1Stop.Token);
        await v1.WaitForWritesAsync(50);

        var expand = await Cli("expand");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        long v1AfterExpand = v1.Writes;

        // 2.0.0 goes live as an early canary (--early: its changes are expanded, the backfill is not
        // done) and writes while the backfill runs; it reads only rows it wrote or that are backfilled.
        Assert.That((await Cli("deploy", "register", "2.0.0", "--slot", "green", "--early")).ExitCode, Is.EqualTo(0));
        var v2Tasks = StartV2(v2, v1Db, v2Db, v1Stop.Token, v2Stop.Token);
        v2Live.Set();
        await v2.WaitForWritesAsync(50);

        var closed = await Cli("gate", "--to", "2.0.0");
        Assert.That(closed.ExitCode, Is.EqualTo(1), "the gate must stay closed before the backfill\n" + closed);

        var backfill = await Cli("backfill", "--batch-size", "2000");
        Assert.That(backfill.ExitCode, Is.EqualTo(0), backfill.ToString());
        var gate = await Cli("gate", "--to", "2.0.0");
        Assert.That(gate.ExitCode, Is.EqualTo(0), gate.ToString());
        v2.Switched = true; // from here on, every seeded customer must be found through 2.0.0

        // Both live for a while after the switch, then 1.0.0 is retired and its traffic stops.
        long v1Mark = v1.Writes, v2Mark = v2.Writes;
        await v1.WaitForWritesAsync(v1Mark + 100);
        await v2.WaitForWritesAsync(v2Mark + 100);
        var early = await Cli("contract");
        Assert.That(early.ExitCode, Is.EqualTo(1), "contract must be refused while 1.0.0 is live\n" + early);
        Assert.That((await Cli("deploy", "retire", "1.0.0")).ExitCode, Is.EqualTo(0));
        await v1Stop.CancelAsync();
        await Task.WhenAll(v1Tasks);

        long v2BeforeContract = v2.Writes;
        var contract = await Cli("contract");
        Assert.That(contract.ExitCode, Is.EqualTo(0), contract.ToString());
        await v2.WaitForWritesAsync(v2BeforeContract + 100);
        await v2Stop.CancelAsync();
        await Task.WhenAll(v2Tasks);

        TestContext.Out.WriteLine($"v1: {v1}\nv2: {v2}");
        Assert.Multiple(() =>
        {
            Assert.That(v1.Errors, Is.Empty, "errors in app 1.0.0 while it was live");
            Assert.That(v2.Errors, Is.Empty, "errors in app 2.0.0");
            Assert.That(v1.Divergences, Is.Empty, "rows 1.0.0 wrote that read back differently");
            Assert.That(v2.Divergences, Is.Empty, "rows 2.0.0 wrote that read back differently");
            Assert.That(v1.Writes, Is.GreaterThan(v1AfterExpand), "1.0.0 kept writing after the expand");
            Assert.That(v1.CrossReads, Is.GreaterThan(0), "rows 1.0.0 wrote were read through 2.0.0");
            Assert.That(v2.CrossReads, Is.GreaterThan(0), "rows 2.0.0 wrote were read through 1.0.0");
            Assert.That(v2.Writes, Is.GreaterThan(v2BeforeContract), "2.0.0 kept writing through the contract");
        });

        // Nothing lost: every row either version wrote holds its last value, read through 2.0.0.
        var customers = new V2.CustomerRepository(v2Db);
        foreach (var (id, email) in v1.Expected.Concat(v2.Expected))
        {
            var row = await customers.GetAsync(id);
            Assert.That(row?.EmailAddress, Is.EqualTo(email), $"customer {id}");
        }

        Assert.That(
            await ScalarAsync<long>("SELECT count(*) FROM customers WHERE name LIKE 'Customer %' AND email_address = 'customer' || substr(name, 10) || '@example.com'"),
            Is.EqualTo(SeedCustomers),
            "every seeded customer kept its email under the new name");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'migrator_sync_%'"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE proname LIKE 'sync_%' AND pronamespace = 'migrator'::regnamespace"), Is.EqualTo(0));
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    private static Task[] StartV1(VersionWorkload w, NpgsqlDataSource v1Db, NpgsqlDataSource v2Db, ManualResetEventSlim v2Live, CancellationToken stop)
    {
        var own = new V1.CustomerRepository(v1Db);
        var other = new V2.CustomerRepository(v2Db);
        var orders = new V1.OrderRepository(v1Db);
        var tasks = new List<Task>();
        for (int n = 0; n < WritersPerVersion; n++)
        {
            int writer = n;
            tasks.Add(w.RunAsync(stop, async i =>
            {
                string email = $"v1-w{writer}-{i}@example.com";
                long id;
                if (i % 3 == 2 && w.OwnedBy(writer) is { } mine)
                {
                    id = mine;
                    await own.ChangeEmailAsync(id, email);
                }
                else
                {
                    id = await own.CreateAsync($"v1 writer {writer} #{i}", email);
                    w.Own(writer, id);
                    await orders.PlaceAsync(id, 1 + (i % 100), 1);
                }

                w.Wrote(id, email);
                w.Check(id, email, (await own.GetAsync(id))?.Email, "1.0.0");
                if (v2Live.IsSet)
                {
                    w.CrossCheck(id, email, (await other.GetAsync(id))?.EmailAddress);
                }
            }));
        }

        for (int n = 0; n < ReadersPerVersion; n++)
        {
            tasks.Add(w.RunAsync(stop, async i =>
            {
                var found = await own.FindByEmailAsync(ShopSeeder.EmailOf((int)(1 + (i * 7919 % SeedCustomers))));
                w.Read(found.Count == 1);
            }));
        }

        return [.. tasks];
    }

    private static Task[] StartV2(VersionWorkload w, NpgsqlDataSource v1Db, NpgsqlDataSource v2Db, CancellationToken v1Stop, CancellationToken stop)
    {
        var own = new V2.CustomerRepository(v2Db);
        var other = new V1.CustomerRepository(v1Db);
        var orders = new V2.OrderRepository(v2Db);
        var tasks = new List<Task>();
        for (int n = 0; n < WritersPerVersion; n++)
        {
            int writer = n;
            tasks.Add(w.RunAsync(stop, async i =>
            {
                string email = $"v2-w{writer}-{i}@example.com";
                long id;
                if (i % 3 == 2 && w.OwnedBy(writer) is { } mine)
                {
                    id = mine;
                    await own.ChangeEmailAsync(id, email);
                }
                else
                {
                    id = await own.CreateAsync($"v2 writer {writer} #{i}", email);
                    w.Own(writer, id);
                    await orders.PlaceAsync(id, 1 + (i % 100), 2);
                }

                w.Wrote(id, email);
                w.Check(id, email, (await own.GetAsync(id))?.EmailAddress, "2.0.0");
                if (!v1Stop.IsCancellationRequested)
                {
                    try
                    {
                        w.CrossCheck(id, email, (await other.GetAsync(id))?.Email);
                    }
                    catch (PostgresException e) when (v1Stop.IsCancellationRequested && e.SqlState == "42703")
                    {
                        // 1.0.0 was retired between the check and the read: the column is gone by design.
                    }
                }
            }));
        }

        for (int n = 0; n < ReadersPerVersion; n++)
        {
            tasks.Add(w.RunAsync(stop, async i =>
            {
                var found = await own.FindByEmailAsync(ShopSeeder.EmailOf((int)(1 + (i * 7919 % SeedCustomers))));
                w.Read(found.Count == 1);
            }));
        }

        return [.. tasks];
    }
}
