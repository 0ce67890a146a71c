using Migrator.Backfill;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Safety;

/// <summary>Regression: rows_done was written as each process's own running total, so with several
/// backfill processes on one table the last writer won (12,162 recorded for 200,000 rows). It is now
/// added in the checkpoint statement itself.</summary>
public sealed class ConcurrentRowsDoneTests : BackfillTest
{
    private static readonly BackfillSpec Spec = new("things", null, "b = upper(a)", "b IS NULL");

    [Test]
    public async Task Rows_done_counts_every_row_once_when_several_processes_backfill_one_table()
    {
        await CreateThingsAsync(40_000);
        var runs = Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var connection = await DataSource.OpenConnectionAsync();
            var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 200));
            return (await runner.RunAsync(1, Spec)).RowsUpdated;
        }).ToList();
        long[] updated = await Task.WhenAll(runs);

        Assert.Multiple(async () =>
        {
            Assert.That(updated.Sum(), Is.EqualTo(40_000), "SKIP LOCKED: every row updated by exactly one process");
            Assert.That(await ScalarAsync<long>("SELECT rows_done FROM migrator.backfill_checkpoints WHERE table_name = 'public.things'"), Is.EqualTo(40_000));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.EqualTo(0));
        });
    }
}
