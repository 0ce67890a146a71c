using System.Diagnostics;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Reliability;

/// <summary>
/// The backfill killed at random moments (SIGKILL to a separate `dotnet migrator backfill` process)
/// and resumed, and its connection cut by the server mid-run: in the end the table equals what one
/// plain UPDATE gives, and every row was counted exactly once.
/// </summary>
public sealed class BackfillCrashTests : DatabaseTest
{
    private const int Customers = 60_000;

    [Test]
    public async Task Twenty_sigkills_at_random_moments_then_a_clean_run_give_the_single_update_result()
    {
        await PrepareAsync();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        TestContext.Out.WriteLine($"random seed {seed}");
        long before = 0;
        int killedMidRun = 0;
        for (int run = 0; run < 20; run++)
        {
            using var process = StartBackfill("3000");

            // Kill at a random moment once this run has committed a batch: the process start-up time
            // (which varies with the machine's load) must not decide whether the kill lands mid-run.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!process.HasExited && DateTime.UtcNow < deadline
                && await ScalarAsync<long>("SELECT coalesce(max(rows_done), 0) FROM migrator.backfill_checkpoints") <= before)
            {
                await Task.Delay(20);
            }

            await Task.Delay(random.Next(0, 900));
            bool finished = process.HasExited;
            if (!finished)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no cleanup of any kind
            }

            await process.WaitForExitAsync();
            long done = await ScalarAsync<long>("SELECT coalesce(max(rows_done), 0) FROM migrator.backfill_checkpoints");
            if (!finished && done > before && done < Customers)
            {
                killedMidRun++;
            }

            TestContext.Out.WriteLine($"run {run + 1}: {(finished ? $"finished, exit {process.ExitCode}" : "killed")}, checkpoint at {done} rows");
            before = done;
        }

        Assert.That(killedMidRun, Is.GreaterThanOrEqualTo(10), "enough kills landed while rows were being done");
        using (var last = StartBackfill(null))
        {
            await last.WaitForExitAsync();
            Assert.That(last.ExitCode, Is.EqualTo(0), await last.StandardError.ReadToEndAsync());
        }

        await AssertSingleUpdateResultAsync();
    }

    [Test]
    public async Task A_connection_cut_by_the_server_mid_run_exits_4_in_one_line_and_the_next_run_finishes()
    {
        await PrepareAsync();
        var run = CliRunner.ShopAsync(ConnectionString, "backfill", "--batch-size", "500", "--max-rows-per-second", "20000");
        await Task.Delay(1200);
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        var cut = await run;
        Assert.That(cut.ExitCode, Is.EqualTo(4), cut.ToString());
        Assert.That(cut.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(cut.Error, Does.StartWith("error: "));
        long partial = await ScalarAsync<long>("SELECT max(rows_done) FROM migrator.backfill_checkpoints");
        Assert.That(partial, Is.GreaterThan(0).And.LessThan(Customers));

        var again = await CliRunner.ShopAsync(ConnectionString, "backfill", "--batch-size", "2000");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        await AssertSingleUpdateResultAsync();
    }

    [Test]
    public async Task A_server_restart_mid_run_exits_4_in_one_line_and_the_next_run_finishes()
    {
        if (!TestServer.Cluster.CanRestart)
        {
            Assert.Ignore("MIGRATOR_TEST_PG names an external server, which the tests do not restart; the connection-cut test covers the client side");
        }

        await PrepareAsync();
        var run = CliRunner.ShopAsync(ConnectionString, "backfill", "--batch-size", "500", "--max-rows-per-second", "20000");
        await Task.Delay(1200);
        await Task.Run(TestServer.Cluster.Restart);
        DataSource.Clear(); // this test's own pooled connections died with the server too
        var cut = await run;
        Assert.That(cut.ExitCode, Is.EqualTo(4), cut.ToString());
        Assert.That(cut.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        long partial = await ScalarAsync<long>("SELECT max(rows_done) FROM migrator.backfill_checkpoints");
        Assert.That(partial, Is.GreaterThan(0).And.LessThan(Customers));

        var again = await CliRunner.ShopAsync(ConnectionString, "backfill", "--batch-size", "2000");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        await AssertSingleUpdateResultAsync();
    }

    private async Task PrepareAsync()
    {
        // Each test starts from an empty database (the class shares one).
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, Customers);
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "expand")).ExitCode, Is.EqualTo(0));

        // What one plain UPDATE over the whole table gives, on a copy without the sync trigger.
        await ExecuteAsync("""
            CREATE TABLE expected AS SELECT id, name, email, email_address FROM customers;
            UPDATE expected SET email_address = email;
            """);
    }

    private async Task AssertSingleUpdateResultAsync()
    {
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM (SELECT id, name, email, email_address FROM customers EXCEPT SELECT * FROM expected) d"), Is.Zero, "rows of customers not in the single-UPDATE result");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT id, name, email, email_address FROM customers) d"), Is.Zero, "rows of the single-UPDATE result not in customers");
        Assert.That(await ScalarAsync<long>("SELECT rows_done FROM migrator.backfill_checkpoints"), Is.EqualTo(Customers), "every row counted exactly once across the runs");
    }

    /// <summary>`dotnet migrator backfill` as its own process (the tool's dll next to the tests).</summary>
    private Process StartBackfill(string? maxRowsPerSecond)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "Migrator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> args =
        [
            "exec", tool, "backfill", "--batch-size", "200", "--lock-wait", "30",
            "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString,
        ];
        if (maxRowsPerSecond is not null)
        {
            args.AddRange(["--max-rows-per-second", maxRowsPerSecond]);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
