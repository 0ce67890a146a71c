using System.Diagnostics;
using Migrator.Authoring;
using Migrator.Planning;
using Npgsql;

namespace Migrator.Tests.Operations;

/// <summary>
/// Every operation's expand and contract run while a long writing transaction holds its lock on the
/// table (ROW EXCLUSIVE, as a slow batch job would). Each DDL statement that needs a conflicting lock
/// (everything but VALIDATE CONSTRAINT and CREATE TABLE; CREATE INDEX CONCURRENTLY waits for writers)
/// waits at most lock_timeout, gives up, and is retried until the long transaction ends; meanwhile the
/// app's reads of the table never queue behind it for longer than that. The maximum app wait is
/// measured and asserted.
/// </summary>
[TestFixtureSource(typeof(OperationScenarios), nameof(OperationScenarios.All))]
public sealed partial class OperationLockTests(OperationScenario scenario)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(1200);

    // Scheduling noise on a 2-core machine on top of lock_timeout.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(250);

    [Test]
    public async Task Ddl_gives_way_to_a_long_transaction_and_the_app_never_waits_longer_than_lock_timeout()
    {
        await using var harness = await OperationHarness.StartAsync(scenario);
        harness.Execution = new(LockTimeout, 100);

        var expand = await UnderLongTransactionAsync(harness, scenario.Table, harness.ExpandAsync);
        await harness.BackfillAsync();
        var contract = await UnderLongTransactionAsync(harness, scenario.Table, harness.ContractAsync);

        TestContext.Out.WriteLine($"{scenario.Name}: expand {expand}; contract {contract}");
        foreach (var (phase, run, steps) in new[] { ("expand", expand, harness.Change.Expand), ("contract", contract, harness.Change.Contract) })
        {
            Assert.That(run.MaxAppWait, Is.LessThan(LockTimeout + Slack), $"{phase}: the app waited longer than lock_timeout");
            Assert.That(run.AppStatements, Is.GreaterThan(10), $"{phase}: the app kept running statements");
            bool conflicts = steps.SelectMany(s => s.Statements).Any(s => !NoWriterConflict().IsMatch(s.Sql));
            if (conflicts)
            {
                Assert.That(run.Retries, Is.GreaterThan(0), $"{phase}: DDL should have given way to the long transaction at least once");
                Assert.That(run.Duration, Is.GreaterThanOrEqualTo(Hold - TimeSpan.FromMilliseconds(50)), $"{phase}: DDL finished while the long transaction still held its lock");
            }
        }
    }

    private static async Task<LockRun> UnderLongTransactionAsync(OperationHarness harness, string table, Func<Task> phase)
    {
        int logBefore = harness.Log.Count;
        await using var blocker = await harness.DataSource.OpenConnectionAsync();
        var tx = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"LOCK TABLE {table} IN ROW EXCLUSIVE MODE", blocker, tx))
        {
            await hold.ExecuteScalarAsync();
        }

        using var stop = new CancellationTokenSource();
        var probe = ProbeAsync(harness.DataSource, table, stop.Token);
        var clock = Stopwatch.StartNew();
        var run = phase();
        await Task.Delay(Hold);
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await run;
        var duration = clock.Elapsed;
        await stop.CancelAsync();
        var (maxWait, statements) = await probe;
        int retries = harness.Log.Skip(logBefore).Count(l => l.Contains("retry", StringComparison.Ordinal));
        return new LockRun(duration, retries, maxWait, statements);
    }

    /// <summary>The app: a short read on the table every few milliseconds, each timed.</summary>
    private static async Task<(TimeSpan Max, long Count)> ProbeAsync(NpgsqlDataSource db, string table, CancellationToken stop)
    {
        var max = TimeSpan.Zero;
        long count = 0;
        await using var connection = await db.OpenConnectionAsync(stop);
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            await using (var read = new NpgsqlCommand($"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 5) t", connection))
            {
                try
                {
                    await read.ExecuteScalarAsync(CancellationToken.None);
                }
                catch (PostgresException e) when (e.SqlState == "42P01")
                {
                    break; // the contract dropped the table or view: what the old app read is gone by design
                }
            }

            max = clock.Elapsed > max ? clock.Elapsed : max;
            count++;
            await Task.Delay(5, CancellationToken.None);
        }

        return (max, count);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(ALTER TABLE \S+ VALIDATE CONSTRAINT|CREATE TABLE)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex NoWriterConflict();

    private sealed record LockRun(TimeSpan Duration, int Retries, TimeSpan MaxAppWait, long AppStatements)
    {
        public override string ToString() =>
            $"{Duration.TotalMilliseconds:0} ms, {Retries} retries, max app wait {MaxAppWait.TotalMilliseconds:0} ms over {AppStatements} statements";
    }
}
