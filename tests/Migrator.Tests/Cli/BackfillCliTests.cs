using System.Text.Json;
using Migrator.Cli;
using Migrator.Tests.Infrastructure;
using Shop.Seed;
using Spectre.Console.Testing;

namespace Migrator.Tests.Cli;

/// <summary>`backfill` pacing and pipeline output through the CLI on the shop sample.</summary>
public sealed class BackfillCliTests : DatabaseTest
{
    [SetUp]
    public Task EmptyDatabaseAsync() =>
        ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");

    [Test]
    public async Task Json_progress_is_one_object_per_line_ending_with_a_verified_done_event()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 3_000);
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        var run = await Cli("backfill", "--progress", "json", "--target-batch-ms", "100", "--max-rows-per-second", "1000000", "--batch-delay", "1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var events = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();
        var done = events.Single(e => e.GetProperty("event").GetString() == "done");
        Assert.Multiple(() =>
        {
            Assert.That(events[^1].GetProperty("event").GetString(), Is.EqualTo("done"));
            Assert.That(done.GetProperty("change").GetInt64(), Is.EqualTo(202611230002));
            Assert.That(done.GetProperty("table").GetString(), Is.EqualTo("public.customers"));
            Assert.That(done.GetProperty("rows_updated").GetInt64(), Is.EqualTo(3_000));
            Assert.That(done.GetProperty("verified_complete").GetBoolean(), Is.True);
            Assert.That(events.Where(e => e.GetProperty("event").GetString() == "progress").All(e => e.GetProperty("rows_done").GetInt64() <= 3_000), Is.True);
        });
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS DISTINCT FROM email"), Is.Zero);
    }

    /// <summary>At 80 columns too: the bar's text is shortened to fit, never wrapped.</summary>
    [TestCase(160)]
    [TestCase(80)]
    public async Task On_a_terminal_the_backfill_shows_a_progress_bar_that_ends_at_100_percent_and_fits(int width)
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 2_000);
        await ExecuteAsync("ANALYZE customers");
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        var terminal = new TestConsole().Interactive().Width(width);
        var error = new StringWriter();
        int code = await MigratorCli.RunAsync(
            ["backfill", "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString],
            new CliContext(terminal, error));
        Assert.That(code, Is.EqualTo(0), error.ToString());
        Assert.That(terminal.Output, Does.Contain("public.customers: 2,000/~2,000 rows").And.Contain("100%"));
        Assert.That(terminal.Output, Does.Contain("verified: no row left to do"));
        // Visible text only: when Spectre's live display redraws, it blanks what it drew before with a run of
        // spaces whose length depends on how many refreshes the timing allowed, which nobody sees.
        Assert.That(terminal.Output.Split('\n').Where(l => l.TrimEnd().Length > width), Is.Empty, terminal.Output);
    }

    [Test]
    public async Task Replica_lag_bound_runs_when_no_replica_lags_and_a_named_replica_that_is_not_connected_is_an_error()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 1_000);
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        // This server has no replica: a named one is reported, never waited for nor silently ignored.
        var missing = await Cli("backfill", "--max-replica-lag", "2", "--replica", "reporting-standby");
        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
        Assert.That(missing.Error, Does.Contain("replica 'reporting-standby' is not connected"));

        // Without a name the bound applies to whatever replicas exist: none lag here, so it runs.
        var run = await Cli("backfill", "--max-replica-lag", "2");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS DISTINCT FROM email"), Is.Zero);
    }

    [Test]
    public async Task Workers_share_the_backfill_through_ranges_in_the_ledger()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 3_000);
        await ExecuteAsync("ANALYZE customers");
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        var run = await Cli("backfill", "--workers", "3");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("3000 rows"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges WHERE done"), Is.GreaterThan(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges WHERE NOT done"), Is.Zero);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS DISTINCT FROM email"), Is.Zero);
    }

    [Test]
    public async Task Two_backfill_commands_at_once_share_the_ledger_lock_and_the_ranges()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 8_000);
        await ExecuteAsync("ANALYZE customers");
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));

        // Paced so that both are at work together; neither waits for the other's ledger lock.
        var runs = await Task.WhenAll(
            Cli("backfill", "--workers", "2", "--max-rows-per-second", "8000", "--lock-wait", "0"),
            Cli("backfill", "--workers", "2", "--max-rows-per-second", "8000", "--lock-wait", "0"));
        Assert.That(runs.Select(r => r.ExitCode), Is.All.EqualTo(0), string.Join("\n", runs.Select(r => r.ToString())));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.backfill_ranges WHERE NOT done"), Is.Zero);
        Assert.That(await ScalarAsync<long>("SELECT sum(rows_done)::bigint FROM migrator.backfill_ranges"), Is.EqualTo(8_000), "each row done once, by one of the two");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM customers WHERE email_address IS DISTINCT FROM email"), Is.Zero);

        // Expand and contract still take the lock exclusively: one cannot start while a backfill holds it.
        await using var backfill = await OpenUnpooledAsync();
        await using (var shared = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock_shared(hashtextextended('migrator ledger ' || 'migrator', 0))", backfill))
        {
            await shared.ExecuteNonQueryAsync();
        }

        var contract = await Cli("contract", "--lock-wait", "0");
        Assert.That(contract.ExitCode, Is.EqualTo(3), contract.ToString());
    }

    [TestCase("--workers", "0", "workers")]
    [TestCase("--max-replica-lag", "0", "max-replica-lag")]
    [TestCase("--max-rows-per-second", "0", "max-rows-per-second")]
    [TestCase("--batch-delay", "-1", "batch-delay")]
    [TestCase("--target-batch-ms", "0", "--target-batch-ms must be")]
    [TestCase("--progress", "xml", "xml")]
    [TestCase("--max-app-impact", "0.5", "--max-app-impact must be a number from 1 to 1000, or off")]
    [TestCase("--max-app-impact", "NaN", "--max-app-impact must be")]
    [TestCase("--max-app-impact", "lots", "--max-app-impact must be")]
    [TestCase("--latency-probe", "SELECT 1; DELETE FROM customers", "--latency-probe failed before the backfill started")]
    public async Task Nonsense_pacing_is_refused_with_exit_2(string option, string value, string named)
    {
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        var run = await Cli("backfill", option, value);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(named));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one error line, no stack trace");
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);
}
