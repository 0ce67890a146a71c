using System.Diagnostics;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>
/// Ctrl-C and SIGTERM stop a backfill at a batch boundary: every row counted in the checkpoint is
/// written and no other, the stop is in the history, the ledger says "stopped" (not "running"),
/// the process exits 6, and running the command again finishes the job.
/// </summary>
public sealed class StopTests : DatabaseTest
{
    private const string Rename = "202611230002";

    private async Task ExpandedWithRowsAsync()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 3000);
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "expand")).ExitCode, Is.EqualTo(0));
    }

    /// <summary>Waits until the backfill has saved a checkpoint; fails if it ended before that.</summary>
    private async Task WaitForRowsAsync(Func<bool> ended, Func<Task<string>> why)
    {
        while (await ScalarAsync<long>($"SELECT coalesce(sum(rows_done), 0)::bigint FROM migrator.backfill_checkpoints WHERE change_id = {Rename}") == 0)
        {
            if (ended())
            {
                Assert.Fail("the backfill ended before its first checkpoint: " + await why());
            }

            await Task.Delay(20);
        }
    }

    private async Task AssertStoppedAtABatchBoundaryAndResumesAsync()
    {
        Assert.That(await ScalarAsync<string>($"SELECT status FROM migrator.phases WHERE change_id = {Rename} AND phase = 'backfill'"), Is.EqualTo("stopped"));
        Assert.That(await ScalarAsync<string>($"SELECT outcome FROM migrator.history WHERE command = 'backfill' AND change_id = {Rename} ORDER BY id DESC LIMIT 1"), Is.EqualTo("stopped"));
        long done = await ScalarAsync<long>($"SELECT sum(rows_done)::bigint FROM migrator.backfill_checkpoints WHERE change_id = {Rename}");
        Assert.That(done, Is.GreaterThan(0).And.LessThan(3000));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS NOT NULL"), Is.EqualTo(done), "every row counted is written, and no other");
        var status = await CliRunner.ShopAsync(ConnectionString, "status");
        Assert.That(status.Output, Does.Contain("stopped (resume: backfill"));

        var resumed = await CliRunner.ShopAsync(ConnectionString, "backfill");
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS NULL"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<string>($"SELECT status FROM migrator.phases WHERE change_id = {Rename} AND phase = 'backfill'"), Is.EqualTo("done"));
    }

    [Test]
    public async Task Ctrl_c_stops_the_backfill_at_a_batch_boundary_and_a_rerun_finishes_it()
    {
        await ExpandedWithRowsAsync();
        using var stop = new CancellationTokenSource();
        var run = CliRunner.RunAsync(stop.Token, "backfill", "--batch-size", "25", "--max-rows-per-second", "300",
            "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString);
        await WaitForRowsAsync(() => run.IsCompleted, async () => (await run).ToString());
        await stop.CancelAsync();
        var stopped = await run;
        Assert.That(stopped.ExitCode, Is.EqualTo(6), stopped.ToString());
        Assert.That(stopped.Output, Does.Contain("stopped by a signal at a batch boundary"));
        await AssertStoppedAtABatchBoundaryAndResumesAsync();
    }

    [Test]
    public async Task Sigterm_to_the_process_stops_the_backfill_the_same_way()
    {
        await ExpandedWithRowsAsync();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "exec", CliRunner.ToolDll, "backfill", "--batch-size", "25", "--max-rows-per-second", "300",
            "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await WaitForRowsAsync(() => process.HasExited, async () => await output + await error);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.EqualTo(6), $"{await output}\n{await error}");
        Assert.That(await output, Does.Contain("stopped by a signal at a batch boundary"));
        await AssertStoppedAtABatchBoundaryAndResumesAsync();
    }
}
