using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using Shop.Migrations.Changes;
using Shop.Seed;

namespace Migrator.Tests.Execution;

/// <summary>A multi-step phase that fails part-way resumes at the failed step on the next run.</summary>
public sealed class ResumeTests : DatabaseTest
{
    [Test]
    public async Task Contract_that_fails_at_validate_resumes_there_without_repeating_the_first_step()
    {
        var changes = ChangeCatalog.FromAssembly(typeof(C0001_CreateShopSchema).Assembly);
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(changes, new SchemaModel()).ToDictionary(p => p.Id);
        var rename = plans[202611230002];
        Assert.That(rename.Contract, Has.Count.EqualTo(4), "add the NOT NULL check; validate it; swap; validate carried-over checks");

        await using var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(plans.Values);
        var executor = new PhaseExecutor(ledger, ExecutionOptions.Default);
        await executor.RunAsync(plans[202611230001], Phase.Expand);
        await ShopSeeder.SeedAsync(DataSource, customers: 300);
        await executor.RunAsync(rename, Phase.Expand);

        // Contract before the backfill: the NOT NULL proof (step 2, VALIDATE) fails on the 300 old rows.
        var error = await Assert.ThrowsAsync<MigratorException>(() => executor.RunAsync(rename, Phase.Contract));
        Assert.That(error!.Message, Does.Contain("step 2/4").And.Contain("23514"));
        var failed = await ledger.PhaseAsync(rename.Id, Phase.Contract);
        Assert.That((failed!.Status, failed.StepsDone), Is.EqualTo(("failed", 1)));
        Assert.That(await ScalarAsync<bool>("SELECT NOT convalidated FROM pg_constraint WHERE conname = 'migrator_nn_202611230002_email_address'"), Is.True);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.EqualTo(1),
            "the old column is still there: the failed step and the ones after it did not run");

        await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions()).RunAsync(rename.Id, rename.Backfills[0]);
        Assert.That(await executor.RunAsync(rename, Phase.Contract), Is.True);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'migrator_nn_%'"), Is.EqualTo(0));
        var done = await ledger.PhaseAsync(rename.Id, Phase.Contract);
        Assert.That((done!.Status, done.StepsDone), Is.EqualTo(("done", 4)));
    }
}
