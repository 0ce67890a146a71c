using Migrator.Backfill;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Backfill;

/// <summary>
/// Batches run as a plain key-range UPDATE (one write per row) and fall back to the SKIP LOCKED form
/// when it would wait on the app: a row the app holds, or a batch that runs out of its statement_timeout
/// (half of deadlock_timeout). On real PostgreSQL; no assertion depends on how long anything took.
/// </summary>
public sealed class KeyRangeBatchTests : BackfillTest
{
    private static readonly BackfillSpec Spec = new("things", "id", "b = upper(a)", "b IS NULL");

    [Test]
    public async Task A_row_the_app_holds_makes_its_batch_redo_itself_with_skip_locked_and_the_app_keeps_its_value()
    {
        await CreateThingsAsync(5000);
        // The app writes row 250 itself, in a transaction it keeps open while the first pass runs.
        await using var app = await DataSource.OpenConnectionAsync();
        var tx = await app.BeginTransactionAsync();
        await using (var write = new NpgsqlCommand("UPDATE things SET b = 'app' WHERE id = 250", app, tx))
        {
            await write.ExecuteNonQueryAsync();
        }

        await using var connection = await DataSource.OpenConnectionAsync();
        // Fixed batches of 100 rows, no pacing: batch 3 (rows 201..300) is the one that meets the app's row.
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 100) { MaxAppImpact = null });
        var firstPass = new List<BackfillProgress>();
        var run = runner.RunAsync(1, Spec, new OnProgress(p =>
        {
            if (p.Pass == 1 && p.Took > TimeSpan.Zero)
            {
                firstPass.Add(p);
            }
        }));

        // The first pass ends with the app's row left pending (skipped, not waited for); to the test, the
        // app's write is not there yet.
        await WaitForCountAsync("SELECT count(*) FROM things WHERE b IS NULL", 1, run);
        Assert.That(run.IsCompleted, Is.False, "the run cannot finish while the app holds a pending row");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        var result = await run;

        Assert.Multiple(async () =>
        {
            Assert.That(firstPass, Has.Count.EqualTo(50));
            Assert.That(firstPass.Take(2).Select(b => b.KeyRange), Is.All.True, "batches run as key-range UPDATEs");
            Assert.That(firstPass[2].FellBack && !firstPass[2].KeyRange, Is.True, "the batch that met the app's row gave up and ran again with SKIP LOCKED");
            Assert.That(firstPass[2].FellBackOn, Is.EqualTo(FallbackReason.LockTimeout), "it gave up on its lock_timeout");
            Assert.That(firstPass.Take(2).Select(b => b.FellBackOn), Is.All.Null, "the batches before it did not give up");
            Assert.That(firstPass.Skip(3).Take(BatchForm.LockedAfterFallback).Select(b => b.KeyRange), Is.All.False, "SKIP LOCKED is kept for a while after that");
            Assert.That(firstPass.Skip(3 + BatchForm.LockedAfterFallback).Any(b => b.KeyRange), Is.True, "then key-range UPDATEs again");
            Assert.That((firstPass[2].RowsDone, firstPass[2].LastKey), Is.EqualTo((300L, "301")), "the fallback batch skipped the app's row and took the next pending one");
            Assert.That(result.RowsUpdated, Is.EqualTo(4999));
            Assert.That(await ScalarAsync<string>("SELECT b FROM things WHERE id = 250"), Is.EqualTo("app"), "the app's value is kept");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE id <> 250 AND b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }

    [Test]
    public async Task An_app_inserting_rows_at_the_end_of_the_key_space_does_not_keep_the_pass_going()
    {
        await CreateThingsAsync(2000);
        // The app inserts rows after the last key all the time, already filled (as the sync trigger
        // would fill them): a pass that went on while keys were left would never end.
        using var stop = new CancellationTokenSource();
        var app = Task.Run(async () =>
        {
            await using var connection = await OpenUnpooledAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO things SELECT max(id) + 1, 'app', 'APP' FROM things", connection);
            long inserted = 0;
            while (!stop.IsCancellationRequested)
            {
                inserted += await insert.ExecuteNonQueryAsync();
            }

            return inserted;
        });
        await WaitForCountAsync("SELECT least(count(*), 1) FROM things WHERE id > 2000", 1, app);

        await using var connection = await DataSource.OpenConnectionAsync();
        var batches = new List<BackfillProgress>();
        var run = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 100) { MaxAppImpact = null })
            .RunAsync(1, Spec, new OnProgress(batches.Add));
        // A guard against a hang, not a measure: the run ends while the app still inserts.
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
        bool endedWhileInserting = run.IsCompleted && !app.IsCompleted;
        await stop.CancelAsync();
        long inserted = await app;
        var result = await run;

        Assert.Multiple(async () =>
        {
            Assert.That(endedWhileInserting, Is.True, "the backfill finished while the app went on inserting");
            Assert.That(inserted, Is.GreaterThan(0));
            Assert.That(result.RowsUpdated, Is.EqualTo(2000));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }

    [Test]
    public async Task An_app_inserting_pending_rows_at_the_end_of_the_key_space_ends_each_pass_at_its_short_batch()
    {
        await CreateThingsAsync(2000);
        // After every batch, the app inserts 5 pending rows after the last key (no sync trigger fills them),
        // so there are always keys after the batch's: a pass that went on while keys were left would not
        // end before the app stopped (it stops after 300 batches, so a wrong run ends too). A pass that
        // ends at its short batch finds the app's rows pending, and goes round again, up to its limit.
        await using var app = await OpenUnpooledAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO things SELECT m + g, 'app', NULL FROM (SELECT max(id) AS m FROM things) x, generate_series(1, 5) g", app);
        var batches = new List<BackfillProgress>();
        await using var connection = await DataSource.OpenConnectionAsync();
        var run = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 500, MaxPasses: 3) { MaxAppImpact = null })
            .RunAsync(1, Spec, new OnProgress(p =>
            {
                batches.Add(p);
                if (batches.Count <= 300)
                {
                    insert.ExecuteNonQuery();
                }
            }));

        var error = await Assert.CatchAsync<BackfillException>(() => run);
        Assert.Multiple(async () =>
        {
            Assert.That(error?.Message, Does.Contain("after 3 passes"), "each pass ended and found the app's new rows pending");
            Assert.That(batches, Has.Count.LessThan(300), "the passes ended while the app went on inserting");
            Assert.That(batches.Select(b => b.Pass).Distinct(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE id <= 2000 AND b IS DISTINCT FROM upper(a)"), Is.Zero, "the rows there before the app are all done");
        });
    }

    [Test]
    public async Task A_key_range_batch_in_a_lock_cycle_with_the_app_gives_up_and_the_app_is_not_a_deadlock_victim()
    {
        await CreateThingsAsync(200);
        // deadlock_timeout 60 s at the database: the batch's statement may run 30 s, and nobody checks
        // for a deadlock before 60 s of waiting. The batch, at row 50, waits for the test to open a gate.
        await SetDeadlockTimeoutAsync("60s");
        await CreateGateAsync(at: 50);
        try
        {
            // The app holds row 150 in an open transaction.
            await using var app = await OpenUnpooledAsync();
            int appPid = app.ProcessID;
            var tx = await app.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand("UPDATE things SET b = 'app' WHERE id = 150", app, tx))
            {
                await hold.ExecuteNonQueryAsync();
            }

            // One batch of 200 keys, no pacing: it updates rows 1..49 in key order, then waits at the gate.
            await using var connection = await OpenUnpooledAsync();
            var batches = new List<BackfillProgress>();
            var run = RunUnpacedAsync(connection, 200, Spec with { Pending = "b IS NULL AND gate_at(id)" }, batches);
            await WaitAtGateAsync(run);

            // The app now writes row 10, which the batch holds: it waits for the batch, and the batch will
            // wait for the app's row 150 once the gate opens. A cycle.
            await using var write = new NpgsqlCommand("UPDATE things SET b = 'app' WHERE id = 10", app, tx);
            var appWrite = write.ExecuteNonQueryAsync();
            await WaitForCountAsync($"SELECT count(*) FROM pg_stat_activity WHERE pid = {appPid} AND wait_event_type = 'Lock'", 1, appWrite);
            Assert.That(appWrite.IsCompleted, Is.False, "the app's write waits on the batch's row");
            await OpenGateAsync();

            // The batch meets row 150, gives up after its lock_timeout and rolls back: the app's write goes
            // through and its transaction commits.
            Assert.That(await appWrite, Is.EqualTo(1));
            await tx.CommitAsync();
            await tx.DisposeAsync();
            var result = await run;

            Assert.Multiple(async () =>
            {
                Assert.That(batches[0].FellBack && !batches[0].KeyRange, Is.True, "the key-range batch gave up and ran again with SKIP LOCKED");
                Assert.That(batches[0].FellBackOn, Is.EqualTo(FallbackReason.LockTimeout), "on its lock_timeout, at the app's row 150");
                Assert.That(result.RowsUpdated, Is.EqualTo(198));
                Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE id IN (10, 150) AND b = 'app'"), Is.EqualTo(2), "the app's values are kept");
                Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE id NOT IN (10, 150) AND b IS DISTINCT FROM upper(a)"), Is.Zero);
            });
        }
        finally
        {
            await SetDeadlockTimeoutAsync(null);
        }
    }

    [Test]
    public async Task A_key_range_batch_cancelled_by_someone_else_is_redone_with_skip_locked_and_says_so()
    {
        await CreateThingsAsync(200);
        // deadlock_timeout 60 s at the database: the key-range statement may run 30 s, so only the cancel
        // below ends it. The batch waits at a gate at row 50.
        await SetDeadlockTimeoutAsync("60s");
        await CreateGateAsync(at: 50);
        try
        {
            await using var connection = await OpenUnpooledAsync();
            var batches = new List<BackfillProgress>();
            var run = RunUnpacedAsync(connection, 200, Spec with { Pending = "b IS NULL AND gate_at(id)" }, batches);
            await WaitAtGateAsync(run);

            // An operator cancels the batch's statement; its redo, in the SKIP LOCKED form, reaches the gate.
            Assert.That(await ScalarAsync<bool>($"SELECT pg_cancel_backend({connection.ProcessID})"), Is.True);
            await WaitForCountAsync($"SELECT count(*) FROM pg_stat_activity WHERE pid = {connection.ProcessID} AND wait_event = 'PgSleep' AND query LIKE '%SKIP LOCKED%'", 1, run);
            await OpenGateAsync();
            var result = await run;

            Assert.Multiple(async () =>
            {
                Assert.That(batches[0].FellBack && !batches[0].KeyRange, Is.True, "the cancelled key-range batch ran again with SKIP LOCKED");
                Assert.That(batches[0].FellBackOn, Is.EqualTo(FallbackReason.Canceled), "it says it was cancelled, not timed out");
                Assert.That(result.RowsUpdated, Is.EqualTo(200));
                Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
            });
        }
        finally
        {
            await SetDeadlockTimeoutAsync(null);
        }
    }

    [Test]
    public async Task A_key_range_batch_that_runs_out_of_half_the_deadlock_timeout_is_redone_with_skip_locked()
    {
        await CreateThingsAsync(300);
        // deadlock_timeout 100 ms: the key-range statement may run 50 ms; a batch of 100 rows at 2 ms a
        // row cannot, whatever the machine's speed.
        await SetDeadlockTimeoutAsync("100ms");
        await ExecuteAsync("""
            CREATE OR REPLACE FUNCTION slow_upper(t text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
            BEGIN PERFORM pg_sleep(0.002); RETURN upper(t); END $$;
            """);
        var batches = new List<BackfillProgress>();
        BackfillResult result;
        try
        {
            await using var connection = await OpenUnpooledAsync();
            await using var show = new NpgsqlCommand("SHOW deadlock_timeout", connection);
            Assert.That(await show.ExecuteScalarAsync(), Is.EqualTo("100ms"));
            result = await RunUnpacedAsync(connection, 100, Spec with { Set = "b = slow_upper(a)" }, batches);
        }
        finally
        {
            await SetDeadlockTimeoutAsync(null);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(batches[0].FellBack && !batches[0].KeyRange, Is.True, "the key-range batch was cancelled and ran again with SKIP LOCKED");
            Assert.That(batches[0].FellBackOn, Is.EqualTo(FallbackReason.StatementTimeout), "by its statement_timeout");
            Assert.That(result.RowsUpdated, Is.EqualTo(300));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }

    [Test]
    public async Task Key_range_batches_leave_rows_that_are_not_pending_alone_on_a_composite_key_declared_in_another_order()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS lines;
            CREATE TABLE lines (line int NOT NULL, order_id bigint NOT NULL, a text NOT NULL, b text, PRIMARY KEY (order_id, line));
            INSERT INTO lines SELECT l, o, 'o' || o || 'l' || l FROM generate_series(1, 400) o, generate_series(1, 5) l;
            UPDATE lines SET b = 'app' WHERE (order_id + line) % 9 = 0;
            ANALYZE lines;
            """);
        long pending = await ScalarAsync<long>("SELECT count(*) FROM lines WHERE b IS NULL");
        await using var connection = await DataSource.OpenConnectionAsync();
        var batches = new List<BackfillProgress>();
        var result = await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 70) { MaxAppImpact = null })
            .RunAsync(1, new BackfillSpec("lines", "line, order_id", "b = upper(a)", "b IS NULL"), new OnProgress(p =>
            {
                if (p.Took > TimeSpan.Zero)
                {
                    batches.Add(p);
                }
            }));

        Assert.Multiple(async () =>
        {
            Assert.That(batches.Select(b => b.KeyRange), Is.All.True);
            Assert.That(batches, Has.Count.EqualTo((2000 + 69) / 70), "one batch per 70 keys, pending or not");
            Assert.That(result.RowsUpdated, Is.EqualTo(pending), "each pending row once");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM lines WHERE (order_id + line) % 9 = 0 AND b <> 'app'"), Is.Zero, "rows the app wrote are kept");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM lines WHERE (order_id + line) % 9 <> 0 AND b IS DISTINCT FROM upper(a)"), Is.Zero);
        });
    }

    /// <summary>Sets deadlock_timeout for this test's database (new sessions), or resets it with null.</summary>
    private Task SetDeadlockTimeoutAsync(string? value) => ExecuteAsync(value is null
        ? "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET deadlock_timeout', current_database()); END $$"
        : $"DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET deadlock_timeout = %L', current_database(), '{value}'); END $$");

    /// <summary>Runs the backfill of <paramref name="spec"/> in batches of <paramref name="size"/> with the
    /// pacing off, collecting the batches that ran (not the final check).</summary>
    private static Task<BackfillResult> RunUnpacedAsync(NpgsqlConnection connection, int size, BackfillSpec spec, List<BackfillProgress> batches) =>
        RunCollectingAsync(connection, new BackfillOptions(BatchSize: size) { MaxAppImpact = null }, spec, batches);
}
