using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Safety;

/// <summary>
/// A rollback undoes only what the ledger proves the change created: never an object chosen by its
/// name alone. Regression for the data loss where `rollback` of a change whose expand had failed on
/// pre-existing tables dropped those tables and their rows.
/// </summary>
public sealed class RollbackOwnershipTests : DatabaseTest
{
    private const string CreateSchema = "202611230001";

    [Test]
    public async Task Rollback_of_a_failed_expand_over_existing_tables_keeps_the_tables_and_their_rows()
    {
        // The shop's four tables already exist, made by hand as an existing database would have them.
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(
            ChangeCatalog.FromAssembly(typeof(Shop.Migrations.Changes.C0001_CreateShopSchema).Assembly), new SchemaModel());
        foreach (var statement in plans[0].Expand.SelectMany(s => s.Statements))
        {
            await ExecuteAsync(statement.Sql);
        }

        await ShopSeeder.SeedAsync(DataSource, customers: 300);
        var before = await SnapshotAsync();
        long rows = await RowsAsync();

        var expand = await Cli("expand", "--change", CreateSchema);
        Assert.That(expand.ExitCode, Is.EqualTo(4), expand.ToString());
        Assert.That(expand.Error, Does.Contain("42P07"));

        var rollback = await Cli("rollback", "--change", CreateSchema);
        Assert.That(rollback.ExitCode, Is.EqualTo(0), rollback.ToString());
        Assert.That(rollback.Output, Does.Contain("pending again"));

        Assert.That(await SnapshotAsync(), Is.EqualTo(before), "no object of the existing database may be touched");
        Assert.That(await RowsAsync(), Is.EqualTo(rows), "no row may be lost");
        Assert.That(rows, Is.GreaterThan(300));
    }

    [Test]
    public async Task Rollback_after_a_partly_applied_expand_drops_what_the_change_made_and_keeps_what_was_there()
    {
        // The table the change builds on exists already (created by hand, not by Migrator).
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([typeof(Lots), typeof(PartlyExisting)], "safety"), new SchemaModel());
        await ExecuteAsync("""
            CREATE TABLE lots (id bigint PRIMARY KEY, code text NOT NULL);
            INSERT INTO lots SELECT g, 'c' || g FROM generate_series(1, 500) g;
            CREATE INDEX ix_lots_code ON lots (code);
            """);
        var change = plans[1];
        await using var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(plans);
        var log = new List<string>();
        var executor = new PhaseExecutor(ledger, new ExecutionOptions(TimeSpan.FromMilliseconds(500), 3), log.Add);

        // Step 1 creates lot_notes and its column; step 2 builds an index whose name the user already has.
        var failure = await Assert.ThrowsAsync<MigratorException>(() => executor.RunAsync(change, Phase.Expand));
        Assert.That(failure!.Message, Does.Contain("42P07"));
        Assert.That(await ScalarAsync<bool>("SELECT to_regclass('public.lot_notes') IS NOT NULL"), Is.True);

        var rollback = new PhaseExecutor(ledger, new ExecutionOptions(TimeSpan.FromMilliseconds(500), 3), log.Add);
        await rollback.RunAsync(change, Phase.Rollback);

        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<bool>("SELECT to_regclass('public.lot_notes') IS NULL"), Is.True, "the table the change created is dropped");
            Assert.That(await ScalarAsync<bool>("SELECT to_regclass('public.ix_lots_code') IS NOT NULL"), Is.True, "the user's index is kept");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM lots"), Is.EqualTo(500));
            Assert.That(rollback.Kept, Is.EquivalentTo(new[] { "relation public.ix_lots_code" }));
        });
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    private async Task<long> RowsAsync() => await ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_lines)");

    private async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await SchemaSnapshot.ReadAsync(connection);
    }

    /// <summary>What the database already has, as the model must know it.</summary>
    [Change(1, "lots", AppVersion = "1.0.0")]
    public sealed class Lots : Change
    {
        protected override void Expand() =>
            Create.Table("lots").WithColumn("id").AsInt64().PrimaryKey().WithColumn("code").AsCustom("text").NotNullable();
    }

    /// <summary>Creates a table (step 1), then an index named like one the database already has (step 2).</summary>
    [Change(2, "partly existing", AppVersion = "1.0.0")]
    public sealed class PartlyExisting : Change
    {
        public PartlyExisting()
        {
            CreateTable("lot_notes", t => t.WithColumn("id").AsInt64().PrimaryKey().WithColumn("body").AsCustom("text").Nullable());
            CreateIndex("lots", "ix_lots_code", ["code"]);
        }
    }
}
