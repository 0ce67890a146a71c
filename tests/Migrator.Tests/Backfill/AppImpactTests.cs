using Migrator.Backfill;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Backfill;

/// <summary>
/// The impact-aware pacing on a real server: an app connection in a transaction makes the backfill rest
/// between batches; an app write stuck behind a batch's row locks is counted at the batch's commit; workers
/// keep one budget in the ledger; the latency probe is one read-only statement. The app's presence and
/// its waits are arranged with open transactions and locks the test holds, never with timing.
/// </summary>
public sealed class AppImpactTests : BackfillTest
{
    private const int Rows = 4000;
    private static readonly BackfillSpec Spec = new("things", "id", "b = upper(a)", "b IS NULL");

    [SetUp]
    public Task CreateTableAsync() => CreateThingsAsync(Rows);

    [Test]
    public async Task An_app_in_a_transaction_makes_the_backfill_rest_between_batches()
    {
        await using var app = await OpenAppTransactionAsync();

        // Fewer batches than the looks that make an app with nothing in flight light (the next test).
        var progress = await RunAsync(new BackfillOptions(BatchSize: 1000) { MaxAppImpact = 2 });
        double busy = await BusyDutyAsync();
        Assert.That(progress, Has.Count.EqualTo(Rows / 1000).And.Count.LessThan(BackfillPacer.LightFirstLooks));
        Assert.Multiple(() =>
        {
            Assert.That(progress.All(p => p.Impact is { AppConnections: >= 1 }), Is.True, "the app's open transaction is seen at every batch");
            Assert.That(progress.All(p => p.AppPresent && p.Duty == busy), Is.True, "m = 2: half of the time (on the database's host)");
            Assert.That(progress.All(p => p.Pause == p.Took), Is.True, "a rest as long as the batch");
        });
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task An_app_that_is_there_but_runs_no_statement_is_light_and_the_backfill_takes_back_all_of_the_time()
    {
        // Idle in transaction: there (its connection is busy) but no statement in flight at any look.
        await using var app = await OpenAppTransactionAsync();

        var progress = await RunAsync(new BackfillOptions(BatchSize: 200) { MaxAppImpact = 2 });
        double busy = await BusyDutyAsync();
        TestContext.Out.WriteLine(string.Join("\n", progress.Select(p => $"duty {p.Duty:0.00}, light {p.AppLight}, {p.Impact}")));
        int window = BackfillPacer.LightFirstLooks;
        Assert.That(progress, Has.Count.EqualTo(Rows / 200));
        Assert.Multiple(() =>
        {
            Assert.That(progress.All(p => p.AppPresent && p.Impact is { Active: 0 }), Is.True, "there, with nothing in flight");
            Assert.That(progress.Take(window - 1).All(p => !p.AppLight && p.Duty == busy), Is.True, "a busy app's m/4 until five looks");
            Assert.That(progress.Skip(window - 1).All(p => p.AppLight), Is.True, "light from the fifth look on");
            Assert.That(progress[^1].Duty, Is.GreaterThan(progress[window - 1].Duty), "the duty grows back toward 1");
        });
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task An_app_with_a_statement_always_in_flight_is_busy_and_the_backfill_keeps_to_half_of_the_time()
    {
        List<BackfillProgress> progress;
        await using (await StartBusyAppAsync())
        {
            progress = await RunAsync(new BackfillOptions(BatchSize: 200) { MaxAppImpact = 2 });
        }

        double busy = await BusyDutyAsync();
        Assert.That(progress, Has.Count.EqualTo(Rows / 200));
        Assert.That(progress.All(p => p.AppPresent && !p.AppLight && p.Duty == busy && p.Impact is { Active: >= 1 }), Is.True,
            string.Join("\n", progress.Select(p => $"duty {p.Duty:0.00}, light {p.AppLight}, {p.Impact}")));
    }

    [Test]
    public async Task With_the_pacing_off_nothing_is_sampled_and_batches_run_back_to_back()
    {
        await using var app = await OpenAppTransactionAsync();

        var progress = await RunAsync(new BackfillOptions(BatchSize: 500) { MaxAppImpact = null });
        Assert.That(progress.All(p => p.Impact is null && !p.AppPresent && p.Duty == 1 && p.Pause == TimeSpan.Zero), Is.True);
    }

    [Test]
    public async Task App_writes_stuck_behind_a_batch_are_counted_at_its_commit_and_the_next_batches_shrink()
    {
        // The batch stops at row 300 on an advisory lock the test holds, with rows 1..300 already locked by it.
        await ExecuteAsync("""
            CREATE FUNCTION hold_at_300() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.id = 300 THEN PERFORM pg_advisory_xact_lock(4242); END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER hold_at_300 BEFORE UPDATE ON things FOR EACH ROW EXECUTE FUNCTION hold_at_300();
            """);
        await using var gate = await OpenUnpooledAsync();
        await using var holding = await gate.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(4242)", gate, holding))
        {
            await take.ExecuteNonQueryAsync();
        }

        // The app stays in sight for the whole run (an open transaction), whatever the machine's speed.
        await using var present = await OpenAppTransactionAsync();
        // Batches in the SKIP LOCKED form, which park on the gate for as long as it is held: a key-range
        // batch gives up on it after 10 ms and runs again in that form, so the wait the test sees below
        // could be the key-range batch's, already over (KeyRangeBatchTests cover that form).
        var options = new BackfillOptions(BatchSize: 1000, LockTimeout: TimeSpan.FromSeconds(60)) { MaxAppImpact = 2, KeyRangeBatches = false };
        var backfill = RunAsync(options);

        // Wait until the batch is parked on the gate, then send three app writes into rows it holds and wait
        // until the server shows all three waiting on the batch.
        await WaitForAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'");
        var apps = new List<NpgsqlConnection>();
        var stuck = new List<Task<int>>();
        foreach (int id in new[] { 10, 20, 30 })
        {
            var app = await OpenUnpooledAsync();
            apps.Add(app);
            var write = new NpgsqlCommand($"UPDATE things SET a = a WHERE id = {id}", app);
            stuck.Add(write.ExecuteNonQueryAsync());
        }

        await WaitForAsync("SELECT (count(*) = 3)::int::bigint FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE things SET a = a%'");

        await holding.CommitAsync();
        var progress = await backfill;
        Assert.That(await Task.WhenAll(stuck), Is.All.EqualTo(1), "the app's writes went through once the batch committed");
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        TestContext.Out.WriteLine(string.Join("\n", progress.Select(p => $"size {p.BatchSize}, duty {p.Duty}, {p.Impact}")));
        double busy = await BusyDutyAsync();
        Assert.That(progress[0].Impact, Is.Not.Null);
        Assert.That(progress[0].Impact!.Blocked, Is.EqualTo(3), "the stuck writes, counted just before the commit");
        Assert.That(progress[0].Impact!.Active, Is.Zero, "waiting on the batch's locks, they are not statements in flight (no CPU)");
        Assert.That(progress[0].AppPresent, Is.True);
        Assert.That(progress.Skip(1).All(p => p.Impact!.Blocked == 0), Is.True, "later batches held nobody up");
        Assert.Multiple(() =>
        {
            Assert.That(progress[1].BatchSize, Is.EqualTo(500), "three stuck writes in a batch: the next batch is half as large");
            Assert.That(progress[0].Duty, Is.EqualTo(busy), "the duty holds while the batches can still shrink");
            // Growing back needs evidence: 1 200 app transactions without a wait (this app commits none), or
            // 10 s without a single waiter, far longer than these few batches take.
            Assert.That(progress.Skip(1).Select(p => p.BatchSize), Is.All.EqualTo(500), "and they stay that small while nothing shows that larger ones would not be felt");
        });
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task An_app_on_the_databases_host_is_local_and_keeps_a_busy_apps_duty()
    {
        List<BackfillProgress> progress;
        await using (await StartBusyAppAsync())
        {
            progress = await RunAsync(new BackfillOptions(BatchSize: 200) { MaxAppImpact = 2 });
        }

        bool local = await OwnConnectionIsLocalAsync();
        if (Environment.GetEnvironmentVariable("MIGRATOR_TEST_PG") is null or "")
        {
            Assert.That(local, Is.True, "the fixture's cluster is reached over 127.0.0.1");
        }

        TestContext.Out.WriteLine(string.Join("\n", progress.Select(p => $"duty {p.Duty:0.00}, remote {p.AppRemote}, {p.Impact}")));
        Assert.Multiple(() =>
        {
            Assert.That(progress.All(p => p.Impact is { } i && i.Local == (local ? i.AppConnections : 0)), Is.True, "every app connection counted where it is");
            Assert.That(progress.All(p => p.AppRemote == !local), Is.True);
            Assert.That(progress.All(p => p.Duty == BackfillPacer.DutyCeilingFor(2, remote: !local)), Is.True, local ? "m/4: the app's clients share the cores" : "m/2");
        });
    }

    [TestCase(null, true)]
    [TestCase("127.0.0.1", true)]
    [TestCase("127.3.2.1", true)]
    [TestCase("::1", true)]
    [TestCase("::ffff:127.0.0.1", true)]
    [TestCase("10.1.2.3", false)]
    [TestCase("192.0.2.7", false)]
    [TestCase("2001:db8::5", false)]
    [TestCase("::ffff:10.1.2.3", false)]
    public async Task A_client_address_is_on_the_databases_host_when_it_is_a_socket_a_loopback_or_the_servers_own(string? address, bool local)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT {AppImpact.LocalClient} FROM (SELECT $1::inet AS client_addr) a", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)address ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(local));

        // The address this connection reached the server at is the server's own (null over a socket).
        await using var own = new NpgsqlCommand($"SELECT {AppImpact.LocalClient} FROM (SELECT inet_server_addr() AS client_addr) a", connection);
        Assert.That(await own.ExecuteScalarAsync(), Is.True);
    }

    [Test]
    public async Task Workers_keep_one_budget_in_the_ledger()
    {
        // A busy app (a statement always in flight), so that no worker's pacer judges it light, whatever
        // share of the batches a worker gets: every worker's ceiling is m/4.
        await using var app = await StartBusyAppAsync();

        var options = new BackfillOptions(BatchSize: 250) { MaxAppImpact = 2 };
        long rows = await new ParallelBackfill(async ct => await DataSource.OpenConnectionAsync(ct), "migrator", options).RunAsync(1, new BackfillSpec("things", null, "b = upper(a)", "b IS NULL"), workers: 3);
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            rows += (await new BackfillRunner(connection, new CheckpointStore("migrator"), options).RunAsync(1, new BackfillSpec("things", null, "b = upper(a)", "b IS NULL"))).RowsUpdated;
        }

        Assert.That(rows, Is.EqualTo(Rows));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_pacing WHERE change_id = 1"), Is.EqualTo(1), "one budget row for the table, shared by the three workers");
        Assert.That(await ScalarAsync<double>("SELECT duty FROM migrator.backfill_pacing WHERE change_id = 1"), Is.LessThanOrEqualTo(BackfillPacer.DutyCeilingFor(2)), "the budget of one paced runner (m = 2), not one per worker");
        Assert.That(await ScalarAsync<bool>("SELECT app_seen_at IS NOT NULL FROM migrator.backfill_pacing WHERE change_id = 1"), Is.True);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    /// <summary>Whether the server sees this test's connections as on its own host (<see cref="AppImpact.LocalClient"/>):
    /// the test's app connections come from where this one does.</summary>
    private async Task<bool> OwnConnectionIsLocalAsync() =>
        await ScalarAsync<bool>($"SELECT {AppImpact.LocalClient} FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()");

    /// <summary>A busy app's duty at m = 2 for this test's connections: m/4 on the database's host (the
    /// fixture's cluster), m/2 from another host (a MIGRATOR_TEST_PG elsewhere).</summary>
    private async Task<double> BusyDutyAsync() => BackfillPacer.DutyCeilingFor(2, remote: !await OwnConnectionIsLocalAsync());

    [Test]
    public async Task Workers_share_one_probe_and_refuse_a_bad_one_before_any_batch()
    {
        var spec = new BackfillSpec("things", null, "b = upper(a)", "b IS NULL");
        var bad = new BackfillOptions(BatchSize: 250) { LatencyProbe = "DELETE FROM things" };
        var e = await Assert.ThrowsAsync<BackfillException>(() => new ParallelBackfill(async ct => await DataSource.OpenConnectionAsync(ct), "migrator", bad).RunAsync(1, spec, workers: 2));
        Assert.That(e!.IsBadInput, Is.True);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NOT NULL"), Is.Zero, "no batch ran");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges"), Is.Zero, "not even the ranges were written");

        var good = bad with { LatencyProbe = "SELECT count(*) FROM things WHERE id < 100" };
        long rows = await new ParallelBackfill(async ct => await DataSource.OpenConnectionAsync(ct), "migrator", good).RunAsync(1, spec, workers: 2);
        Assert.That(rows, Is.EqualTo(Rows), "no app, no failed probe: the workers did every row");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task The_latency_probe_is_timed_during_every_batch()
    {
        var progress = await RunAsync(new BackfillOptions(BatchSize: 1000) { LatencyProbe = "SELECT count(*) FROM things WHERE id < 100" });
        Assert.That(progress.All(p => p.Impact is { ProbeRatio: > 0, Failed: null }), Is.True);
        Assert.That(progress.All(p => p.Impact!.AppConnections == 0 || p.AppPresent), Is.True);
    }

    [TestCase("SELECT 1; DELETE FROM things")]
    [TestCase("DELETE FROM things")]
    [TestCase("SELECT 1; COMMIT; DELETE FROM things")]
    [TestCase("SELEKT 1")]
    public async Task A_probe_that_is_not_one_read_only_statement_is_refused_before_any_batch(string probe)
    {
        var e = await Assert.ThrowsAsync<BackfillException>(() => RunAsync(new BackfillOptions(BatchSize: 1000) { LatencyProbe = probe }));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.IsBadInput, Is.True);
        Assert.That(e.Message, Does.StartWith("--latency-probe failed before the backfill started"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things"), Is.EqualTo(Rows), "nothing the probe said ran");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NOT NULL"), Is.Zero, "no batch ran");
    }

    private async Task<List<BackfillProgress>> RunAsync(BackfillOptions options)
    {
        await using var connection = await OpenUnpooledAsync();
        var progress = new List<BackfillProgress>();
        await new BackfillRunner(connection, new CheckpointStore("migrator"), options).RunAsync(1, Spec, new Collect(progress));
        return progress.Where(p => p.Took > TimeSpan.Zero).ToList();
    }

    /// <summary>An app connection in an open transaction that has read something: "idle in transaction",
    /// the app as the pacing sees it for as long as the test runs.</summary>
    private async Task<NpgsqlConnection> OpenAppTransactionAsync()
    {
        var app = await OpenUnpooledAsync();
        await using var read = new NpgsqlCommand("BEGIN; SELECT count(*) FROM things", app);
        await read.ExecuteScalarAsync();
        return app;
    }

    /// <summary>An app connection with a statement in flight (<c>pg_sleep</c>) until disposed: state active
    /// at every look, so the pacing sees a busy app.</summary>
    private async Task<IAsyncDisposable> StartBusyAppAsync()
    {
        var app = await OpenUnpooledAsync();
        var stop = new CancellationTokenSource();
        var sleep = new NpgsqlCommand("SELECT pg_sleep(600)", app) { CommandTimeout = 0 };
        var running = sleep.ExecuteNonQueryAsync(stop.Token);
        await WaitForAsync("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(600)'");
        return new BusyApp(app, stop, sleep, running);
    }

    private sealed class BusyApp(NpgsqlConnection app, CancellationTokenSource stop, NpgsqlCommand sleep, Task<int> running) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Assert.CatchAsync<OperationCanceledException>(async () => await running);
            await sleep.DisposeAsync();
            await app.DisposeAsync();
            stop.Dispose();
        }
    }

    /// <summary>Polls until the query counts at least one row (a state the test arranged, not a duration).</summary>
    private async Task WaitForAsync(string countSql)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await ScalarAsync<long>(countSql) == 0)
        {
            await Task.Delay(20, limit.Token);
        }
    }

    private sealed class Collect(List<BackfillProgress> progress) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value)
        {
            lock (progress)
            {
                progress.Add(value);
            }
        }
    }
}
