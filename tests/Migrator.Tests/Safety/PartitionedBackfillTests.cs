using Migrator.Backfill;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Safety;

/// <summary>
/// A ctid names a row only inside one table. Regression for the batch that matched the ctids it had
/// selected in every partition (22 rows updated by a LIMIT 10 batch across 7 partitions), which
/// overwrote values the new app version had already written. Plain tables, partitioned tables with
/// sub-partitions, and inheritance children.
/// </summary>
public sealed class PartitionedBackfillTests : BackfillTest
{
    // The new column is filled from the old; rows the app already wrote (b = 'app:…') are not pending.
    private static readonly BackfillSpec Spec = new("events", "id, region", "b = upper(a)", "b IS NULL");

    [TestCase(true, TestName = "A_partitioned_table_with_sub_partitions_is_backfilled_without_touching_rows_it_did_not_select(key-range batches)")]
    [TestCase(false, TestName = "A_partitioned_table_with_sub_partitions_is_backfilled_without_touching_rows_it_did_not_select(SKIP LOCKED batches)")]
    public async Task A_partitioned_table_with_sub_partitions_is_backfilled_without_touching_rows_it_did_not_select(bool keyRange)
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS events;
            CREATE TABLE events (region text NOT NULL, id bigint NOT NULL, a text NOT NULL, b text, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
            CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu') PARTITION BY RANGE (id);
            CREATE TABLE events_eu_low PARTITION OF events_eu FOR VALUES FROM (MINVALUE) TO (1000);
            CREATE TABLE events_eu_high PARTITION OF events_eu FOR VALUES FROM (1000) TO (MAXVALUE);
            CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
            CREATE TABLE events_ap PARTITION OF events FOR VALUES IN ('ap');
            CREATE TABLE events_sa PARTITION OF events FOR VALUES IN ('sa');
            CREATE TABLE events_af PARTITION OF events FOR VALUES IN ('af');
            CREATE TABLE events_other PARTITION OF events DEFAULT;
            INSERT INTO events (region, id, a)
            SELECT (ARRAY['eu', 'us', 'ap', 'sa', 'af', 'xx'])[1 + g % 6], g, 'row' || g FROM generate_series(1, 3000) g;
            -- The new app version wrote these rows already: the backfill must leave them alone.
            UPDATE events SET b = 'app:' || id WHERE id % 5 = 0;
            ANALYZE events;
            """);
        await AssertBackfilledAsync(batchSize: 10, keyRange);
    }

    [TestCase(true, TestName = "A_table_with_inheritance_children_is_backfilled_parent_rows_and_child_rows_alike(key-range batches)")]
    [TestCase(false, TestName = "A_table_with_inheritance_children_is_backfilled_parent_rows_and_child_rows_alike(SKIP LOCKED batches)")]
    public async Task A_table_with_inheritance_children_is_backfilled_parent_rows_and_child_rows_alike(bool keyRange)
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS events CASCADE;
            CREATE TABLE events (region text NOT NULL, id bigint NOT NULL, a text NOT NULL, b text, PRIMARY KEY (region, id));
            CREATE TABLE events_archive (PRIMARY KEY (region, id)) INHERITS (events);
            CREATE TABLE events_archive_old (PRIMARY KEY (region, id)) INHERITS (events_archive);
            INSERT INTO events (region, id, a) SELECT 'eu', g, 'row' || g FROM generate_series(1, 1000) g;
            INSERT INTO events_archive (region, id, a) SELECT 'eu', g, 'row' || g FROM generate_series(1, 1000) g;
            INSERT INTO events_archive_old (region, id, a) SELECT 'eu', g, 'row' || g FROM generate_series(1, 1000) g;
            UPDATE events SET b = 'app:' || id WHERE id % 5 = 0;
            ANALYZE events;
            """);
        await AssertBackfilledAsync(batchSize: 10, keyRange);
    }

    [Test]
    public async Task Each_partition_batch_in_either_form_reads_and_updates_a_key_range_of_that_partition_only()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS events CASCADE;
            CREATE TABLE events (region text NOT NULL, id bigint NOT NULL, a text NOT NULL, b text, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
            CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
            CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
            INSERT INTO events (region, id, a) SELECT (ARRAY['eu', 'us'])[1 + g % 2], g, 'row' || g FROM generate_series(1, 200000) g;
            ANALYZE events;
            """);
        await using var connection = await DataSource.OpenConnectionAsync();
        var segments = await BackfillTarget.SegmentsAsync(connection, Spec);
        Assert.That(segments.Select(s => s.Table), Is.EqualTo(new[] { "events_eu", "events_us" }));
        foreach (var segment in segments)
        {
            var target = await BackfillTarget.ResolveAsync(connection, segment);
            await using var locking = target.BatchCommand(connection, null, "[\"eu\",\"5000\"]", 1000);
            string text = await ExplainAsync(locking);
            Assert.That(text, Does.Contain($"Update on {segment.Table}"), "the SKIP LOCKED batch updates one partition");
            Assert.That(text, Does.Contain($"Tid Scan on {segment.Table}"), "the update finds its rows by ctid");
            Assert.That(text, Does.Contain("Index Scan using " + segment.Table + "_pkey"), "the batch's rows come from a key range scan");
            Assert.That(text, Does.Not.Contain("Seq Scan"));
            Assert.That(text, Does.Not.Contain("Append"), "no other partition is read or updated");

            await using var range = target.RangeCommand(connection, null, "[\"eu\",\"5000\"]", "[\"eu\",\"6000\"]");
            text = await ExplainAsync(range);
            Assert.That(text, Does.Contain($"Update on {segment.Table}"), "the key-range batch updates one partition");
            Assert.That(text, Does.Contain(segment.Table + "_pkey"), "its rows come from a key range of the partition's key index");
            Assert.That(text, Does.Not.Contain("Seq Scan"));
            Assert.That(text, Does.Not.Contain("Append"), "no other partition is read or updated");
        }
    }

    /// <summary>The command's plan (EXPLAIN), a line per node, also written to the test's output.</summary>
    private static async Task<string> ExplainAsync(Npgsql.NpgsqlCommand command)
    {
        command.CommandText = "EXPLAIN " + command.CommandText;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        string text = string.Join("\n", plan);
        TestContext.Out.WriteLine(text);
        return text;
    }

    private async Task AssertBackfilledAsync(int batchSize, bool keyRange)
    {
        long appWritten = await ScalarAsync<long>("SELECT count(*) FROM events WHERE b LIKE 'app:%'");
        long pending = await ScalarAsync<long>("SELECT count(*) FROM events WHERE b IS NULL");
        await using var connection = await DataSource.OpenConnectionAsync();
        var batches = new List<BackfillProgress>();
        var result = await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: batchSize) { KeyRangeBatches = keyRange })
            .RunAsync(1, Spec, new OnProgress(batches.Add));

        Assert.Multiple(async () =>
        {
            var ran = batches.Where(b => b.Took > TimeSpan.Zero).ToList();
            Assert.That(ran, Is.Not.Empty);
            Assert.That(ran.Select(b => b.KeyRange), Is.All.EqualTo(keyRange), "every batch ran in the form asked for");
            Assert.That(result.RowsUpdated, Is.EqualTo(pending), "every pending row updated exactly once, no other");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM events WHERE b LIKE 'app:%' AND b = 'app:' || id"), Is.EqualTo(appWritten), "values the app wrote are kept");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM events WHERE b IS NULL OR (b NOT LIKE 'app:%' AND b <> upper(a))"), Is.EqualTo(0));
            Assert.That(await BackfillRunner.IsCompleteAsync(connection, Spec), Is.True);
            Assert.That(await ScalarAsync<long>("SELECT rows_done FROM migrator.backfill_checkpoints WHERE table_name = 'public.events'"), Is.EqualTo(pending));
        });
    }
}
