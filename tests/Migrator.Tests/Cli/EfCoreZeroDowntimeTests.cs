using System.Reflection;
using Migrator.Tests.Infrastructure;
using Npgsql;
using V1 = EfShop.V1;
using V2 = EfShop.V2;

namespace Migrator.Tests.Cli;

/// <summary>
/// The EF Core sample (sample-schemas/ef-shop) through the whole cycle. Its migrations are what
/// `dotnet ef migrations add` wrote, marked [AppVersion]; Migrator runs them as phased changes while
/// app 1.0.0 and app 2.0.0 read and write through EF Core itself (one DbContext per call). 2.0.0 renames
/// Customer.Email to ContactEmail, adds Order.Note and an index. Neither version may see an error while
/// it is live, rows either writes read back the same through both, and nothing is lost.
/// </summary>
public sealed class EfCoreZeroDowntimeTests : DatabaseTest
{
    private const int SeedCustomers = 20_000;
    private const int WritersPerVersion = 2;

    [Test]
    public async Task Ef_migrations_expand_backfill_and_contract_while_both_ef_versions_write_and_read()
    {
        string dir = Path.Combine(CliRunner.RepoRoot, "sample-schemas", "ef-shop");
        string v1Usage = Path.Combine(Path.GetTempPath(), $"efshop-v1-{Guid.NewGuid():N}.json");
        string v2Usage = Path.Combine(Path.GetTempPath(), $"efshop-v2-{Guid.NewGuid():N}.json");
        Assert.That((await CliRunner.RunAsync("usage", "extract", "--project", Path.Combine(dir, "EfShop.App.V1"), "--app-version", "1.0.0", "-o", v1Usage)).ExitCode, Is.EqualTo(0));
        Assert.That((await CliRunner.RunAsync("usage", "extract", "--project", Path.Combine(dir, "EfShop.App.V2"), "--app-version", "2.0.0", "-o", v2Usage)).ExitCode, Is.EqualTo(0));

        var plan = await Cli("plan", "--usage", $"1.0.0={v1Usage}", "--usage", $"2.0.0={v2Usage}");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Contain("rename column public.Customers.Email to ContactEmail").And.Contain("CREATE INDEX CONCURRENTLY \"IX_Orders_PlacedAt\""));

        Assert.That((await Cli("expand", "--change", IdOf(typeof(V2.Migrations.Initial)))).ExitCode, Is.EqualTo(0));
        await ExecuteAsync($"INSERT INTO \"Customers\" (\"Name\", \"Email\") SELECT 'Seed ' || g, 'seed' || g || '@example.com' FROM generate_series(1, {SeedCustomers}) g");
        Assert.That((await Cli("deploy", "register", "1.0.0", "--slot", "blue", "--usage", v1Usage)).ExitCode, Is.EqualTo(0));

        using var v1Stop = new CancellationTokenSource();
        using var v2Stop = new CancellationTokenSource();
        var v2Live = new ManualResetEventSlim(false);
        var v1 = new VersionWorkload("1.0.0");
        var v2 = new VersionWorkload("2.0.0");
        var v1Store = new V1.CustomerStore(ConnectionString);
        var v2Store = new V2.CustomerStore(ConnectionString);
        var v1Tasks = Start(v1, WriteV1(v1, v1Store, v2Store, v2Live), ReadV1(v1, v1Store), v1Stop.Token);
        await v1.WaitForWritesAsync(30);

        var expand = await Cli("expand");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        long v1AfterExpand = v1.Writes;

        Assert.That((await Cli("deploy", "register", "2.0.0", "--slot", "green", "--early", "--usage", v2Usage)).ExitCode, Is.EqualTo(0));
        var v2Tasks = Start(v2, WriteV2(v2, v2Store, v1Store, v1Stop.Token), ReadV2(v2, v2Store), v2Stop.Token);
        v2Live.Set();
        await v2.WaitForWritesAsync(30);

        var closed = await Cli("gate", "--to", "2.0.0");
        Assert.That(closed.ExitCode, Is.EqualTo(1), "the gate must stay closed before the backfill\n" + closed);
        var backfill = await Cli("backfill", "--batch-size", "2000");
        Assert.That(backfill.ExitCode, Is.EqualTo(0), backfill.ToString());
        var gate = await Cli("gate", "--to", "2.0.0");
        Assert.That(gate.ExitCode, Is.EqualTo(0), gate.ToString());
        v2.Switched = true;

        long v1Mark = v1.Writes, v2Mark = v2.Writes;
        await v1.WaitForWritesAsync(v1Mark + 30);
        await v2.WaitForWritesAsync(v2Mark + 30);
        var early = await Cli("contract");
        Assert.That(early.ExitCode, Is.EqualTo(1), "contract must be refused while 1.0.0 is live\n" + early);
        Assert.That((await Cli("deploy", "retire", "1.0.0")).ExitCode, Is.EqualTo(0));
        await v1Stop.CancelAsync();
        await Task.WhenAll(v1Tasks);

        long v2BeforeContract = v2.Writes;
        var contract = await Cli("contract");
        Assert.That(contract.ExitCode, Is.EqualTo(0), contract.ToString());
        await v2.WaitForWritesAsync(v2BeforeContract + 30);
        await v2Stop.CancelAsync();
        await Task.WhenAll(v2Tasks);
        File.Delete(v1Usage);
        File.Delete(v2Usage);

        TestContext.Out.WriteLine($"v1: {v1}\nv2: {v2}");
        Assert.Multiple(() =>
        {
            Assert.That(v1.Errors, Is.Empty, "errors in app 1.0.0 while it was live");
            Assert.That(v2.Errors, Is.Empty, "errors in app 2.0.0");
            Assert.That(v1.Divergences, Is.Empty);
            Assert.That(v2.Divergences, Is.Empty);
            Assert.That(v1.Writes, Is.GreaterThan(v1AfterExpand), "1.0.0 kept writing after the expand");
            Assert.That(v1.CrossReads, Is.GreaterThan(0), "rows 1.0.0 wrote were read through 2.0.0");
            Assert.That(v2.CrossReads, Is.GreaterThan(0), "rows 2.0.0 wrote were read through 1.0.0");
        });

        foreach (var (id, email) in v1.Expected.Concat(v2.Expected))
        {
            Assert.That(await v2Store.EmailAsync(id), Is.EqualTo(email), $"customer {id}");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM \"Customers\" WHERE \"Name\" LIKE 'Seed %' AND \"ContactEmail\" = 'seed' || substr(\"Name\", 6) || '@example.com'"),
                Is.EqualTo(SeedCustomers), "every seeded customer kept its email under the new name");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'Customers' AND column_name = 'Email'"), Is.EqualTo(0));
            Assert.That(await ScalarAsync<bool>("SELECT attnotnull FROM pg_attribute WHERE attrelid = '\"Customers\"'::regclass AND attname = 'ContactEmail'"), Is.True);
            Assert.That(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = '\"IX_Orders_PlacedAt\"'::regclass"), Is.True);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM \"Orders\" WHERE \"Note\" = 'placed by 2.0.0'"), Is.GreaterThan(0));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'migrator_sync_%'"), Is.EqualTo(0));
        });
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.RunAsync(
        [.. args, "--config", Path.Combine(CliRunner.RepoRoot, "sample-schemas", "ef-shop", "migrator.json"),
            "--migrations", typeof(V2.ShopContext).Assembly.Location, "--connection", ConnectionString]);

    private static string IdOf(Type migration) =>
        migration.GetCustomAttribute<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>()!.Id.Split('_')[0];

    private static Task[] Start(VersionWorkload w, Func<int, long, Task> write, Func<long, Task> read, CancellationToken stop) =>
        [.. Enumerable.Range(0, WritersPerVersion).Select(n => w.RunAsync(stop, i => write(n, i))), w.RunAsync(stop, read)];

    private static string SeedEmail(long i) => $"seed{1 + (i * 7919 % SeedCustomers)}@example.com";

    private static Func<int, long, Task> WriteV1(VersionWorkload w, V1.CustomerStore own, V2.CustomerStore other, ManualResetEventSlim v2Live) =>
        Write(w, "1.0.0", own.CreateAsync, own.ChangeEmailAsync, own.EmailAsync, other.EmailAsync, () => v2Live.IsSet, () => false);

    private static Func<int, long, Task> WriteV2(VersionWorkload w, V2.CustomerStore own, V1.CustomerStore other, CancellationToken v1Stop) =>
        Write(w, "2.0.0", own.CreateAsync, own.ChangeEmailAsync, own.EmailAsync, other.EmailAsync, () => !v1Stop.IsCancellationRequested, () => v1Stop.IsCancellationRequested);

    /// <summary>One writer of a version: creates customers (each with an order) or changes the email of
    /// one it created, reads it back through its own version and, while the other version is live,
    /// through the other one.</summary>
    private static Func<int, long, Task> Write(
        VersionWorkload w,
        string version,
        Func<string, string, decimal, Task<long>> create,
        Func<long, string, Task> changeEmail,
        Func<long, Task<string?>> readOwn,
        Func<long, Task<string?>> readOther,
        Func<bool> otherLive,
        Func<bool> otherRetired) => async (writer, i) =>
    {
        string email = $"v{version[0]}-w{writer}-{i}@example.com";
        long id;
        if (i % 3 == 2 && w.OwnedBy(writer) is { } mine)
        {
            id = mine;
            await changeEmail(id, email);
        }
        else
        {
            id = await create($"v{version[0]} writer {writer} #{i}", email, 10 + (i % 90));
            w.Own(writer, id);
        }

        w.Wrote(id, email);
        w.Check(id, email, await readOwn(id), version);
        if (otherLive())
        {
            try
            {
                w.CrossCheck(id, email, await readOther(id));
            }
            catch (PostgresException e) when (otherRetired() && e.SqlState == "42703")
            {
                // 1.0.0 was retired between the check and the read: its column is gone by design.
            }
        }
    };

    private static Func<long, Task> ReadV1(VersionWorkload w, V1.CustomerStore own) => async i =>
        w.Read(await own.CountByEmailAsync(SeedEmail(i)) == 1 && await own.OrderCountAsync(1 + (i % SeedCustomers)) == 0);

    private static Func<long, Task> ReadV2(VersionWorkload w, V2.CustomerStore own) => async i =>
        w.Read(await own.CountByEmailAsync(SeedEmail(i)) == 1 && await own.OrderCountAsync(1 + (i % SeedCustomers)) == 0);
}
