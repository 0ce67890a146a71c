using System.Diagnostics;
using Migrator.Backfill;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Backfill;

/// <summary>Batch sizes that follow a target duration, and the rate limit, on a real table.</summary>
public sealed class BackfillPacingTests : BackfillTest
{
    private const int Rows = 6000;

    [SetUp]
    public Task CreateTableAsync() => CreateThingsAsync(Rows);

    [Test]
    public async Task Slow_rows_shrink_the_batches_toward_the_target_duration()
    {
        // A pg_sleep on every tenth row (about a millisecond each): 1000 rows hold their locks for ~100 ms.
        var spec = new BackfillSpec("things", "id", "b = upper(a) || CASE WHEN id % 10 = 0 THEN left(pg_sleep(0.0005)::text, 0) ELSE '' END", "b IS NULL");
        var sizes = await RunAsync(spec, new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(30) });
        TestContext.Out.WriteLine("batch sizes: " + string.Join(", ", sizes));
        Assert.That(sizes[0], Is.EqualTo(1000));
        Assert.That(sizes[^1], Is.LessThan(500).And.GreaterThanOrEqualTo(50), "sizes follow the target down, within the bounds");
        Assert.That(sizes.Zip(sizes.Skip(1)).All(p => p.Second >= p.First / 2), Is.True, "at most halved per batch");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task Fast_rows_grow_the_batches_and_stop_at_the_maximum()
    {
        var spec = new BackfillSpec("things", "id", "b = upper(a)", "b IS NULL");
        var sizes = await RunAsync(spec, new BackfillOptions(BatchSize: 100) { TargetBatchDuration = TimeSpan.FromSeconds(1), MaxBatchSize = 1500 });
        TestContext.Out.WriteLine("batch sizes: " + string.Join(", ", sizes));
        Assert.That(sizes.Max(), Is.EqualTo(1500), "doubling until the bound");
        Assert.That(sizes.Zip(sizes.Skip(1)).All(p => p.Second <= p.First * 2), Is.True, "at most doubled per batch");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [Test]
    public async Task The_rate_limit_holds_over_the_run()
    {
        const double rate = 8000;
        var spec = new BackfillSpec("things", "id", "b = upper(a)", "b IS NULL");
        var clock = Stopwatch.StartNew();
        var sizes = await RunAsync(spec, new BackfillOptions(BatchSize: 500) { MaxRowsPerSecond = rate });
        var elapsed = clock.Elapsed;
        TestContext.Out.WriteLine($"{Rows} rows in {elapsed.TotalMilliseconds:0} ms at a limit of {rate}/s");

        // Rows done before the last batch started were paced: they took at least rows / rate.
        Assert.That(elapsed.TotalSeconds, Is.GreaterThanOrEqualTo((Rows - sizes[^1]) / rate));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.Zero);
    }

    [TestCase(0, null, null, 0, "batch size")]
    [TestCase(100, 0.0, null, 0, "max-rows-per-second")]
    [TestCase(100, null, -5, 0, "target batch duration")]
    [TestCase(100, null, null, -1, "batch-delay")]
    public void Nonsense_settings_are_bad_input(int batch, double? rate, int? targetMs, int delayMs, string named)
    {
        var options = new BackfillOptions(batch)
        {
            MaxRowsPerSecond = rate,
            TargetBatchDuration = targetMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            BatchDelay = TimeSpan.FromMilliseconds(delayMs),
        };
        var e = Assert.Throws<BackfillException>(options.Validate);
        Assert.That(e!.IsBadInput, Is.True);
        Assert.That(e.Message, Does.Contain(named));
    }

    private async Task<List<int>> RunAsync(BackfillSpec spec, BackfillOptions options)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var sizes = new List<int>();
        var result = await new BackfillRunner(connection, new CheckpointStore("migrator"), options)
            .RunAsync(1, spec, new Collect(sizes));
        Assert.That(result.RowsUpdated, Is.EqualTo(Rows));
        return sizes;
    }

    private sealed class Collect(List<int> sizes) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => sizes.Add(value.BatchSize);
    }
}
