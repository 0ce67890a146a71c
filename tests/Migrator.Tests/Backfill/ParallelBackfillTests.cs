using Migrator.Backfill;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Backfill;

/// <summary>Workers sharing one backfill through ranges claimed in the ledger with SKIP LOCKED.</summary>
public sealed class ParallelBackfillTests : BackfillTest
{
    private const int Rows = 20_000;
    private static readonly BackfillSpec Spec = new("things", null, "b = upper(a)", "b IS NULL");

    [SetUp]
    public Task CreateTableAsync() => CreateThingsAsync(Rows);

    [Test]
    public async Task Two_processes_make_progress_on_disjoint_ranges_and_no_row_is_done_twice()
    {
        var paced = new BackfillOptions(BatchSize: 500) { MaxRowsPerSecond = 8000 };
        var a = new ParallelBackfill(OpenAsync, "migrator", paced) { Process = "A" };
        var b = new ParallelBackfill(OpenAsync, "migrator", paced) { Process = "B" };
        var runs = await Task.WhenAll(a.RunAsync(1, Spec, workers: 2), b.RunAsync(1, Spec, workers: 2));
        var final = await FinalPassAsync();

        TestContext.Out.WriteLine($"process A updated {runs[0]} rows, B {runs[1]}, the final pass {final}");
        Assert.Multiple(async () =>
        {
            Assert.That(runs[0], Is.GreaterThan(0), "process A made progress");
            Assert.That(runs[1], Is.GreaterThan(0), "process B made progress");
            Assert.That(runs[0] + runs[1] + final, Is.EqualTo(Rows), "every row updated exactly once");
            Assert.That(await ScalarAsync<long>("SELECT sum(rows_done)::bigint FROM migrator.backfill_ranges"), Is.EqualTo(runs[0] + runs[1]));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges WHERE NOT done"), Is.Zero);
            Assert.That(await ScalarAsync<long>("SELECT count(DISTINCT split_part(done_by, ':', 1)) FROM migrator.backfill_ranges"), Is.EqualTo(2), "ranges finished by both processes");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }

    [Test]
    public async Task A_range_whose_worker_died_is_taken_over_after_its_lease_from_its_own_checkpoint()
    {
        var options = new BackfillOptions(BatchSize: 300) { MaxRowsPerSecond = 6000 };
        using (var crash = new CancellationTokenSource(TimeSpan.FromMilliseconds(800)))
        {
            var dying = new ParallelBackfill(OpenAsync, "migrator", options) { Process = "dead" };
            await Assert.CatchAsync<OperationCanceledException>(() => dying.RunAsync(1, Spec, workers: 2, cancellation: crash.Token));
        }

        long before = await ScalarAsync<long>("SELECT sum(rows_done)::bigint FROM migrator.backfill_ranges");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges WHERE claimed_by LIKE 'dead:%'"), Is.GreaterThan(0), "the dead workers still hold claims");

        var survivor = new ParallelBackfill(OpenAsync, "migrator", new BackfillOptions(BatchSize: 1000)) { Process = "alive", Lease = TimeSpan.FromSeconds(1) };
        long rows = await survivor.RunAsync(1, Spec, workers: 2);
        long final = await FinalPassAsync();

        TestContext.Out.WriteLine($"dead workers did {before} rows, the survivor {rows}, the final pass {final}");
        Assert.That(before, Is.GreaterThan(0));
        Assert.That(before + rows + final, Is.EqualTo(Rows), "the survivor resumed each range at its checkpoint: no row done twice");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges WHERE NOT done OR done_by NOT LIKE 'alive:%'"), Is.Zero);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    private async Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellation) => await DataSource.OpenConnectionAsync(cancellation);

    private async Task<long> FinalPassAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions()) { AfterWorkers = true }.RunAsync(1, Spec)).RowsUpdated;
    }
}
