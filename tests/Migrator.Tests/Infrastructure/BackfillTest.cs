using Migrator.Backfill;
using Migrator.Ledger;
using Npgsql;

namespace Migrator.Tests.Infrastructure;

/// <summary>Base of the backfill engine tests: before each test, a current ledger with change 1 in it
/// and no checkpoints or ranges left from the test before.</summary>
public abstract class BackfillTest : DatabaseTest
{
    [SetUp]
    public async Task ResetLedgerAsync()
    {
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await new LedgerStore(connection, "migrator").EnsureAsync();
        }

        await ExecuteAsync("""
            DELETE FROM migrator.backfill_checkpoints;
            DELETE FROM migrator.backfill_ranges;
            DELETE FROM migrator.backfill_pacing;
            INSERT INTO migrator.changes (change_id, description, app_version) VALUES (1, 't', '1.0.0') ON CONFLICT DO NOTHING;
            """);
    }

    /// <summary>Waits until <paramref name="sql"/> (a count) gives <paramref name="expected"/> while
    /// <paramref name="run"/> goes on: polled every 50 ms, with a minute as a guard against a hang, not as
    /// a measure. Returns early if the run ends first (the caller's assertions then say why).</summary>
    protected async Task WaitForCountAsync(string sql, long expected, Task run)
    {
        var guard = Task.Delay(TimeSpan.FromMinutes(1));
        while (!run.IsCompleted && await ScalarAsync<long>(sql) != expected)
        {
            Assert.That(guard.IsCompleted, Is.False, $"still waiting after a minute for {sql} to give {expected}");
            await Task.Delay(50);
        }
    }

    /// <summary>A gate for a batch to wait at, mid-statement: <c>gate_at(id)</c> is true for every row, but
    /// for row <paramref name="at"/> it first polls the table <c>gate</c> (a poll, not a lock, so
    /// lock_timeout does not end the wait) until <see cref="OpenGateAsync"/>. Put it in a spec's pending
    /// predicate.</summary>
    protected Task CreateGateAsync(long at) => ExecuteAsync($"""
        DROP TABLE IF EXISTS gate;
        CREATE TABLE gate (open boolean);
        CREATE OR REPLACE FUNCTION gate_at(id bigint) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
          IF id = {at} THEN
            WHILE NOT EXISTS (SELECT FROM gate) LOOP PERFORM pg_sleep(0.01); END LOOP;
          END IF;
          RETURN true;
        END $$;
        """);

    /// <summary>Waits until a statement of this test's database sleeps at the gate while
    /// <paramref name="run"/> goes on (polled, with <see cref="WaitForCountAsync"/>'s guard).</summary>
    protected async Task WaitAtGateAsync(Task run)
    {
        await WaitForCountAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'", 1, run);
        Assert.That(run.IsCompleted, Is.False, "the batch waits at the gate");
    }

    protected Task OpenGateAsync() => ExecuteAsync("INSERT INTO gate VALUES (true)");

    /// <summary>Runs the backfill of <paramref name="spec"/> for change 1, collecting the batches that ran
    /// (not the final check).</summary>
    protected static Task<BackfillResult> RunCollectingAsync(NpgsqlConnection connection, BackfillOptions options, BackfillSpec spec, List<BackfillProgress> batches) =>
        new BackfillRunner(connection, new CheckpointStore("migrator"), options).RunAsync(1, spec, CollectBatches(batches));

    /// <summary>Progress that adds each batch that ran to <paramref name="batches"/> (not the final check).</summary>
    protected static OnProgress CollectBatches(List<BackfillProgress> batches) => new(p =>
    {
        if (p.Took > TimeSpan.Zero)
        {
            batches.Add(p);
        }
    });

    /// <summary>A fresh <c>things (id bigint PRIMARY KEY, a text NOT NULL, b text)</c> with ids 1..rows
    /// (those <paramref name="where"/> keeps), analysed so the row estimate is right.</summary>
    protected Task CreateThingsAsync(int rows, string where = "true") => ExecuteAsync($"""
        DROP TABLE IF EXISTS things;
        CREATE TABLE things (id bigint PRIMARY KEY, a text NOT NULL, b text);
        INSERT INTO things SELECT g, 'row' || g FROM generate_series(1, {rows}) g WHERE {where};
        ANALYZE things;
        """);
}
