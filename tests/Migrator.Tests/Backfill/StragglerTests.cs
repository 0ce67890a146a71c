using Migrator.Backfill;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Backfill;

/// <summary>The rows a pass or the workers left (the app held them, or wrote them behind the cursor):
/// found by one read of the table and done by their keys, not by walking every key again.</summary>
public sealed class StragglerTests : BackfillTest
{
    private static readonly BackfillSpec Things = new("things", null, "b = upper(a)", "b IS NULL");

    [Test]
    public async Task After_workers_the_final_pass_does_the_rows_they_left_by_their_keys_in_one_batch()
    {
        await CreateThingsAsync(20_000);
        await ExecuteAsync("UPDATE things SET b = upper(a) WHERE id NOT IN (7, 4999, 12345, 19999)");
        await using var connection = await DataSource.OpenConnectionAsync();
        var batches = new List<BackfillProgress>();

        var result = await FinalPass(connection, 500).RunAsync(1, Things, CollectBatches(batches));

        Assert.Multiple(async () =>
        {
            Assert.That(result.RowsUpdated, Is.EqualTo(4));
            Assert.That(result.Batches, Is.EqualTo(1), "one batch over the four keys, not a walk of the 20 000");
            Assert.That(batches.Single().KeyRange, Is.False, "the SKIP LOCKED form: the app may hold a straggler");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
            var checkpoint = await new CheckpointStore("migrator").ReadAsync(connection, 1, "public.things");
            Assert.That(checkpoint!.Completed, Is.True);
            Assert.That(checkpoint.RowsDone, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Stragglers_of_a_composite_key_in_another_order_than_the_columns_are_done_by_their_keys_and_no_other_row_is_touched()
    {
        // The key (n, region) is declared in another order than the columns, and its texts are hostile.
        await ExecuteAsync("""
            DROP TABLE IF EXISTS regional;
            CREATE TABLE regional (region text NOT NULL, a text NOT NULL, b text, n int NOT NULL, PRIMARY KEY (n, region));
            INSERT INTO regional SELECT r, 'v' || n || r, 'done', n
            FROM generate_series(1, 3000) n, unnest(ARRAY['eu', 'o''x", (1)', 'é,}{', 'us']) r;
            UPDATE regional SET b = NULL WHERE (n, region) IN ((5, 'o''x", (1)'), (1500, 'é,}{'), (2999, 'us'));
            """);
        await using var connection = await DataSource.OpenConnectionAsync();

        var result = await FinalPass(connection, 500).RunAsync(1, new BackfillSpec("regional", null, "b = upper(a)", "b IS NULL"));

        Assert.Multiple(async () =>
        {
            Assert.That(result.RowsUpdated, Is.EqualTo(3));
            Assert.That(result.Batches, Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM regional WHERE b = upper(a)"), Is.EqualTo(3), "the three stragglers done");
            Assert.That(
                await ScalarAsync<long>("""SELECT count(*) FROM regional WHERE b = upper(a) AND (n, region) NOT IN ((5, 'o''x", (1)'), (1500, 'é,}{'), (2999, 'us'))"""),
                Is.Zero,
                "no row but the stragglers was updated (the rows next to them kept b = 'done')");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM regional WHERE b = 'done'"), Is.EqualTo(12_000 - 3));
        });
    }

    [Test]
    public async Task More_rows_left_than_a_batch_holds_are_done_by_walking_the_key_space_again()
    {
        await CreateThingsAsync(20_000);
        await ExecuteAsync("UPDATE things SET b = upper(a) WHERE id % 16 <> 0");
        await using var connection = await DataSource.OpenConnectionAsync();

        var result = await FinalPass(connection, 500).RunAsync(1, Things);

        Assert.That(result.RowsUpdated, Is.EqualTo(1250));
        Assert.That(result.Batches, Is.GreaterThan(1), "1 250 pending rows are more than a batch of 500: a walk");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task A_straggler_the_app_holds_is_not_waited_for_and_is_done_once_released()
    {
        await CreateThingsAsync(5_000);
        await ExecuteAsync("UPDATE things SET b = upper(a) WHERE id NOT IN (100, 4000)");
        await using var app = await DataSource.OpenConnectionAsync();
        await using var tx = await app.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT id FROM things WHERE id = 4000 FOR UPDATE", app, tx))
        {
            await hold.ExecuteNonQueryAsync();
        }

        await using var connection = await DataSource.OpenConnectionAsync();
        var run = FinalPass(connection, 500).RunAsync(1, Things);

        // The free straggler is done while the app holds the other; the run goes on looking for it.
        await WaitForCountAsync("SELECT count(*) FROM things WHERE b IS NULL", 1, run);
        Assert.That(run.IsCompleted, Is.False, "the run cannot finish while the app holds a straggler");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NULL AND id = 4000"), Is.EqualTo(1));
        await tx.CommitAsync();

        var result = await run;
        Assert.That(result.RowsUpdated, Is.EqualTo(2));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    /// <summary>The runner as the final pass after workers, with batches of <paramref name="batchSize"/>.</summary>
    private static BackfillRunner FinalPass(NpgsqlConnection connection, int batchSize) =>
        new(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: batchSize)) { AfterWorkers = true };
}
