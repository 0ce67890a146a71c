using System.Diagnostics;
using Migrator.Backfill;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Backfill;

/// <summary>Keys the backfill batches on (composite, a unique index when there is no primary key),
/// and rows the app holds locks on.</summary>
public sealed class BackfillKeyTests : BackfillTest
{
    [Test]
    public async Task A_composite_primary_key_is_walked_as_a_row_and_a_stopped_run_resumes_from_its_json_checkpoint()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS lines;
            CREATE TABLE lines (order_id bigint NOT NULL, line_no int NOT NULL, a text NOT NULL, b text, PRIMARY KEY (order_id, line_no));
            INSERT INTO lines SELECT o, l, 'line ' || o || '/' || l FROM generate_series(1, 700) o, generate_series(1, 7) l;
            """);
        var spec = new BackfillSpec("lines", null, "b = upper(a)", "b IS NULL");
        await using var connection = await DataSource.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 300));
        using var stop = new CancellationTokenSource();
        await Assert.CatchAsync<OperationCanceledException>(() => runner.RunAsync(1, spec, new OnProgress(p =>
        {
            if (p.Batches == 4)
            {
                stop.Cancel();
            }
        }), stop.Token));

        var checkpoint = await new CheckpointStore("migrator").ReadAsync(connection, 1, "public.lines");
        Assert.That(checkpoint!.RowsDone, Is.EqualTo(1200));
        Assert.That(checkpoint.LastKey, Is.EqualTo("[\"172\",\"3\"]"), "the 1200th key in (order_id, line_no) order");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM lines WHERE b IS NOT NULL AND (order_id, line_no) > (172, 3)"), Is.Zero);

        var rest = await runner.RunAsync(1, spec);
        Assert.That(rest.RowsUpdated, Is.EqualTo(4900 - 1200));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM lines WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
        var final = await new CheckpointStore("migrator").ReadAsync(connection, 1, "public.lines");
        Assert.That(final!.RowsDone, Is.EqualTo(4900), "every row counted once across both runs");
    }

    [Test]
    public async Task Without_a_primary_key_a_unique_index_on_not_null_columns_is_used_else_the_error_names_the_fix()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS nokey;
            CREATE TABLE nokey (code text NOT NULL, maybe int, a text NOT NULL, b text);
            CREATE UNIQUE INDEX nokey_maybe ON nokey (maybe);
            CREATE UNIQUE INDEX nokey_code ON nokey (code);
            INSERT INTO nokey (code, maybe, a) SELECT 'c' || g, g, 'row' || g FROM generate_series(1, 2500) g;
            """);
        await using var connection = await DataSource.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 400));
        var result = await runner.RunAsync(1, new BackfillSpec("nokey", null, "b = upper(a)", "b IS NULL"));
        Assert.That(result.RowsUpdated, Is.EqualTo(2500));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM nokey WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);

        var nullable = await Assert.ThrowsAsync<BackfillException>(() => runner.RunAsync(1, new BackfillSpec("nokey", "maybe", "b = a", "b IS NULL")));
        Assert.That(nullable!.IsBadInput, Is.True);
        Assert.That(nullable.Message, Does.Contain("nullable"));

        await ExecuteAsync("DROP INDEX nokey_code; DELETE FROM migrator.backfill_checkpoints");
        var none = await Assert.ThrowsAsync<BackfillException>(() => runner.RunAsync(1, new BackfillSpec("nokey", null, "b = a", "b IS NULL")));
        Assert.That(none!.IsBadInput, Is.True);
        Assert.That(none.Message, Does.Contain("no primary key").And.Contain("add a primary key"));
    }

    [Test]
    public async Task An_app_inserting_child_rows_neither_waits_for_batches_nor_makes_them_skip_its_parents()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS child, parent;
            CREATE TABLE parent (id bigint PRIMARY KEY, a text NOT NULL, b text);
            CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES parent);
            INSERT INTO parent SELECT g, 'row' || g FROM generate_series(1, 3000) g;
            """);
        // The foreign-key check locks each parent FOR KEY SHARE until the app commits.
        var (app, tx) = await HoldAsync("INSERT INTO child SELECT g, g FROM generate_series(500, 3000, 500) g");
        await using var appConnection = app;

        await using var connection = await DataSource.OpenConnectionAsync();
        // One idle pass allowed: a run that skipped the parents would fail instead of finishing.
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 400) { MaxIdlePasses = 1 });
        var result = await runner.RunAsync(1, new BackfillSpec("parent", null, "b = upper(a)", "b IS NULL"));
        Assert.That(result.RowsUpdated, Is.EqualTo(3000), "every parent done while the app's transaction is open");
        Assert.That((await new CheckpointStore("migrator").ReadAsync(connection, 1, "public.parent"))!.Passes, Is.EqualTo(1), "in one pass");

        await tx.CommitAsync();
        await tx.DisposeAsync();
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM child"), Is.EqualTo(6), "the app's inserts stand");
    }

    [Test]
    public async Task Rows_the_app_holds_locked_are_skipped_not_waited_for_and_done_by_a_later_pass()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS held;
            CREATE TABLE held (id bigint PRIMARY KEY, a text NOT NULL, b text);
            INSERT INTO held SELECT g, 'row' || g FROM generate_series(1, 3000) g;
            """);
        var (app, tx) = await HoldAsync("SELECT id FROM held WHERE id % 500 = 0 FOR UPDATE");
        await using var appConnection = app;

        await using var connection = await DataSource.OpenConnectionAsync();
        // A long lock_timeout: if the batches waited for the locked rows, the first pass could not end (a
        // key-range batch gives up on them after its own 10 ms and runs again with SKIP LOCKED).
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 400, LockTimeout: TimeSpan.FromSeconds(30)));
        var clock = Stopwatch.StartNew();
        var run = runner.RunAsync(1, new BackfillSpec("held", null, "b = upper(a)", "b IS NULL"));

        // The first pass ends while the app still holds its locks; the 6 locked rows are left pending.
        await WaitForCountAsync("SELECT count(*) FROM held WHERE b IS NULL", 6, run);
        Assert.That(run.IsCompleted, Is.False, "the run cannot finish while rows are locked");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM held WHERE b IS NULL"), Is.EqualTo(6), "everything but the locked rows done in the first pass");
        await tx.CommitAsync();
        await tx.DisposeAsync();

        var result = await run;
        TestContext.Out.WriteLine($"done in {clock.ElapsedMilliseconds} ms, {result.RowsUpdated} rows");
        Assert.That(result.RowsUpdated, Is.EqualTo(3000));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM held WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }


    /// <summary>An app connection in an open transaction that ran <paramref name="sql"/>: its locks are held
    /// until the test commits.</summary>
    private async Task<(NpgsqlConnection App, NpgsqlTransaction Tx)> HoldAsync(string sql)
    {
        var app = await DataSource.OpenConnectionAsync();
        var tx = await app.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, app, tx);
        await command.ExecuteNonQueryAsync();
        return (app, tx);
    }
}
