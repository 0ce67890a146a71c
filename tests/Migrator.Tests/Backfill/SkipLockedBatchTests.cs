using Migrator.Backfill;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Backfill;

/// <summary>
/// A batch in the SKIP LOCKED form picks its rows (locking them), then updates them by ctid. A row the
/// app updated after the batch's statement began is picked in its new version, which the UPDATE, on the
/// statement's snapshot, does not see: the batch picked its whole size but updated one row fewer. It
/// still covers its rows, so the pass (or a worker's range) goes on, and the row is left pending for a
/// later pass. On real PostgreSQL: the batch waits at a gate (a poll of a table) while the app writes.
/// </summary>
public sealed class SkipLockedBatchTests : BackfillTest
{
    // Pending rows, but the batch that reaches row 5 first waits there until the gate opens.
    private static readonly BackfillSpec Gated = new("things", "id", "b = upper(a)", "b IS NULL AND gate_at(id)");

    private static readonly BackfillOptions SkipLocked = new(BatchSize: 100) { MaxAppImpact = null, KeyRangeBatches = false };

    [SetUp]
    public async Task CreateGatedThingsAsync()
    {
        await CreateThingsAsync(1000);
        await CreateGateAsync(at: 5);
    }

    /// <summary>Waits until the batch sleeps at the gate, then the app updates row 10 (already behind
    /// the batch's snapshot, not yet picked) and the gate opens.</summary>
    private async Task AppWritesWhileTheBatchWaitsAsync(Task run)
    {
        await WaitAtGateAsync(run);
        await ExecuteAsync("UPDATE things SET a = a WHERE id = 10");
        await OpenGateAsync();
    }

    [Test]
    public async Task A_batch_that_updated_fewer_rows_than_it_picked_does_not_end_the_pass()
    {
        await using var connection = await OpenUnpooledAsync();
        var batches = new List<BackfillProgress>();
        var run = RunCollectingAsync(connection, SkipLocked, Gated, batches);
        await AppWritesWhileTheBatchWaitsAsync(run);
        var result = await run;

        var firstPass = batches.Where(b => b.Pass == 1).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That((firstPass[0].RowsDone, firstPass[0].LastKey), Is.EqualTo((99L, "100")), "the first batch picked rows 1..100 and updated all but row 10");
            Assert.That(firstPass, Has.Count.EqualTo(10), "the first pass went on over the whole table");
            Assert.That(firstPass[^1].LastKey, Is.EqualTo("1000"));
            Assert.That(batches.Where(b => b.Pass == 2).Select(b => (b.RowsDone, b.LastKey)), Is.EqualTo(new[] { (1000L, (string?)null) }), "the next pass did row 10 by its key, in one batch (its checkpoint stays at the pass's start)");
            Assert.That(result.RowsUpdated, Is.EqualTo(1000));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }

    [Test]
    public async Task A_workers_batch_that_updated_fewer_rows_than_it_picked_does_not_end_its_range()
    {
        var run = new ParallelBackfill(async ct => await OpenUnpooledAsync(), "migrator", SkipLocked).RunAsync(1, Gated, workers: 1);
        await AppWritesWhileTheBatchWaitsAsync(run);
        long rows = await run;

        Assert.Multiple(async () =>
        {
            Assert.That(rows, Is.EqualTo(999), "the worker went on to the end of each range; only row 10 is left");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NULL"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE id <> 10 AND b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }
}
