using System.Diagnostics;
using System.Globalization;
using System.Text;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// Issue 6's measurements, each as a ratio taken in one run on one server: the backfill against one
/// plain UPDATE of the whole table (the physical limit, which locks every row for its whole run), an
/// app writer's latency with neither, during ours and during the single UPDATE, the sync trigger's
/// cost on app writes, and the backfill process's peak working set as the table grows.
/// </summary>
public sealed class BackfillBench(string connectionString, TextWriter log)
{
    private const string Set = "b = upper(a)";
    private const string Pending = "b IS NULL";
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);

    // Setup and the backfill itself run on connections that close afterwards: an idle pooled connection
    // that ran something in the last second is the app to the impact-aware pacing.
    private readonly NpgsqlDataSource _setup = NpgsqlDataSource.Create(connectionString + ";Pooling=false");

    public async Task<string> RunAsync(IReadOnlyList<long> sizes)
    {
        var report = new StringBuilder();
        report.AppendLine("| rows | single UPDATE | Migrator backfill | throughput ratio | batches | peak working set of the process during the backfill |");
        report.AppendLine("|---|---|---|---|---|---|");
        var rates = new List<double>();
        foreach (long rows in sizes)
        {
            await BenchTable.CreateAsync(_setup, rows);
            var single = await TimeAsync(() => BenchTable.ExecuteAsync(_setup, $"UPDATE bench SET {Set} WHERE {Pending}"));
            log.WriteLine($"{rows} rows: single UPDATE {single.TotalSeconds:0.0} s");

            await BenchTable.CreateAsync(_setup, rows);
            var (ours, batches, peak) = await BackfillAsync();
            log.WriteLine($"{rows} rows: backfill {ours.TotalSeconds:0.0} s in {batches} batches, peak working set {peak / 1024 / 1024} MiB");
            rates.Add(rows / ours.TotalSeconds);
            report.AppendLine(Invariant($"| {rows:N0} | {single.TotalSeconds:0.0} s ({rows / single.TotalSeconds:N0} rows/s) | {ours.TotalSeconds:0.0} s ({rows / ours.TotalSeconds:N0} rows/s) | {single.TotalSeconds / ours.TotalSeconds:0.00} | {batches:N0} | {peak / 1024.0 / 1024.0:0.0} MiB |"));
        }

        if (rates.Count > 1)
        {
            report.AppendLine();
            report.AppendLine(Invariant($"Backfill rows/s at {sizes[^1]:N0} rows vs {sizes[0]:N0}: {rates[^1] / rates[0]:0.00} (1.00 = cost linear in the table size)."));
        }

        report.AppendLine();
        report.AppendLine(await WorkersAsync(Math.Min(sizes[0], 1_000_000)));
        report.AppendLine();
        report.AppendLine(await LatencyAsync(Math.Min(sizes[0], 1_000_000)));
        report.AppendLine();
        report.AppendLine(await TriggerCostAsync());
        return report.ToString();
    }

    /// <summary>--workers 1, 2 and 4 on the same table (ranges claimed in the ledger, then the final pass).</summary>
    private async Task<string> WorkersAsync(long rows)
    {
        var text = new StringBuilder($"Workers on a {rows:N0}-row table (ranges claimed in the ledger, then the final pass that proves completion):\n\n| workers | time | rows/s | vs 1 worker |\n|---|---|---|---|\n");
        double? one = null;
        foreach (int workers in new[] { 1, 2, 4 })
        {
            await BenchTable.CreateAsync(_setup, rows);
            await BenchTable.ExecuteAsync(_setup, "DELETE FROM migrator.backfill_ranges");
            var took = await TimeAsync(async () =>
            {
                var options = new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150) };
                await new ParallelBackfill(async ct => await _setup.OpenConnectionAsync(ct), "migrator", options).RunAsync(1, new BackfillSpec("bench", null, Set, Pending), workers);
                await using var connection = await _setup.OpenConnectionAsync();
                await new BackfillRunner(connection, new CheckpointStore("migrator"), options) { AfterWorkers = true }.RunAsync(1, new BackfillSpec("bench", null, Set, Pending));
            });
            one ??= took.TotalSeconds;
            log.WriteLine($"{workers} workers: {took.TotalSeconds:0.0} s");
            text.AppendLine(Invariant($"| {workers} | {took.TotalSeconds:0.0} s | {rows / took.TotalSeconds:N0} | {one.Value / took.TotalSeconds:0.00} × |"));
        }

        return text.ToString();
    }

    /// <summary>App writer latency (single-row UPDATEs by primary key) with no backfill, during ours, and during the single UPDATE.</summary>
    private async Task<string> LatencyAsync(long rows)
    {
        var text = new StringBuilder($"App writer latency on a {rows:N0}-row table (single-row UPDATE by key, one connection):\n\n| while | writes | p50 | p99 | max |\n|---|---|---|---|---|\n");
        await BenchTable.CreateAsync(_setup, rows);
        text.AppendLine(Row("nothing else runs", await AppWriter.RunAsync(connectionString, rows, "uniform", TimeSpan.FromSeconds(10))));

        foreach (var (label, work) in new (string, Func<Task>)[]
        {
            ("Migrator backfill runs (150 ms batches, impact-aware pacing at the default --max-app-impact 2)", async () => await BackfillAsync()),
            ("Migrator backfill runs (--target-batch-ms 30)", async () => await BackfillAsync(TimeSpan.FromMilliseconds(30))),
            ("the single UPDATE runs", () => BenchTable.ExecuteAsync(_setup, $"UPDATE bench SET {Set} WHERE {Pending}")),
        })
        {
            await BenchTable.CreateAsync(_setup, rows);
            var writer = await AppWriter.StartAsync(connectionString, rows, "uniform");
            await Task.Delay(500);
            await work();
            text.AppendLine(Row(label, await writer.StopAsync()));
        }

        return text.ToString();

        static string Row(string label, List<double> ms)
        {
            ms.Sort();
            return Invariant($"| {label} | {ms.Count:N0} | {ms[ms.Count / 2]:0.00} ms | {ms[(int)(ms.Count * 0.99)]:0.00} ms | {ms[^1]:0.00} ms |");
        }
    }

    /// <summary>Exploration: the writer's p99 and the throughput for a grid of batch targets and pauses.</summary>
    public async Task<string> ExploreAsync(long rows, IEnumerable<(int TargetMs, int DelayMs, double? Impact)> grid)
    {
        var text = new StringBuilder("| target ms | delay ms | writes | p50 | p99 | max | backfill s |\n|---|---|---|---|---|---|---|\n");
        await BenchTable.CreateAsync(_setup, rows);
        var single = Stopwatch.StartNew();
        await BenchTable.ExecuteAsync(_setup, $"UPDATE bench SET {Set} WHERE {Pending}");
        log.WriteLine(Invariant($"single UPDATE {single.Elapsed.TotalSeconds:0.00} s"));
        await BenchTable.CreateAsync(_setup, rows);
        var idle = await AppWriter.RunAsync(connectionString, rows, "uniform", TimeSpan.FromSeconds(8));
        idle.Sort();
        text.AppendLine(Invariant($"| idle | | {idle.Count} | {idle[idle.Count / 2]:0.00} | {idle[(int)(idle.Count * 0.99)]:0.00} | {idle[^1]:0.00} | |"));

        foreach (var (targetMs, delayMs, impact) in grid)
        {
            await BenchTable.CreateAsync(_setup, rows);
            var writer = await AppWriter.StartAsync(connectionString, rows, "uniform");
            await Task.Delay(500);
            var clock = Stopwatch.StartNew();
            await using (var connection = await _db.OpenConnectionAsync())
            {
                await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 1000)
                {
                    TargetBatchDuration = TimeSpan.FromMilliseconds(targetMs),
                    BatchDelay = TimeSpan.FromMilliseconds(delayMs),
                    MaxAppImpact = impact,
                }).RunAsync(1, new BackfillSpec("bench", null, Set, Pending), new Progress<BackfillProgress>(p =>
                {
                    if (p.Batches % 50 == 0)
                    {
                        log.WriteLine(Invariant($"  batch {p.Batches}: size {p.BatchSize}, took {p.Took.TotalMilliseconds:0} ms, pause {p.Pause.TotalMilliseconds:0} ms, duty {p.Duty:0.00}, app {p.AppPresent}, impact {p.Impact}"));
                    }
                }));
            }

            var took = clock.Elapsed;
            var ms = await writer.StopAsync();
            ms.Sort();
            string line = Invariant($"| {targetMs} | {delayMs} {(impact is null ? "off" : $"m={impact}")} | {ms.Count} | {ms[ms.Count / 2]:0.00} | {ms[(int)(ms.Count * 0.99)]:0.00} | {ms[^1]:0.00} | {took.TotalSeconds:0.0} | p95 {ms[(int)(ms.Count * 0.95)]:0.00} p98 {ms[(int)(ms.Count * 0.98)]:0.00} p995 {ms[(int)(ms.Count * 0.995)]:0.00} >2ms {ms.Count(x => x > 2)} >10ms {ms.Count(x => x > 10)} |");
            log.WriteLine(line);
            text.AppendLine(line);
        }

        return text.ToString();
    }

    /// <summary>Single-row inserts into two identical tables, one with the sync trigger a rename
    /// installs, alternating five rounds each (this machine is noisy); medians compared.</summary>
    private async Task<string> TriggerCostAsync()
    {
        const int inserts = 10_000;
        await BenchTable.ExecuteAsync(_setup, """
            DROP TABLE IF EXISTS plain, synced;
            CREATE TABLE plain (id bigint PRIMARY KEY, a text NOT NULL, b text);
            CREATE TABLE synced (id bigint PRIMARY KEY, a text NOT NULL, b text);
            """);
        foreach (var statement in SyncTrigger.Mirror("migrator", 1, "public", "synced", "a", "b").Create())
        {
            await BenchTable.ExecuteAsync(_setup, statement.Sql);
        }

        var without = new List<double>();
        var with = new List<double>();
        for (int round = 0; round < 5; round++)
        {
            await BenchTable.ExecuteAsync(_setup, "TRUNCATE plain, synced");
            without.Add((await InsertsAsync("plain", inserts)).TotalMilliseconds);
            with.Add((await InsertsAsync("synced", inserts)).TotalMilliseconds);
        }

        double a = Median(with), b = Median(without);
        return Invariant($"Sync trigger cost: {inserts:N0} single-row INSERTs writing the old column only (the trigger copies it), median of 5 alternating rounds: {a:0} ms with the trigger, {b:0} ms without: {a / b:0.00} × (rounds with: {string.Join(", ", with.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))} ms; without: {string.Join(", ", without.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))} ms).");

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    private async Task<TimeSpan> InsertsAsync(string table, int count)
    {
        await using var connection = await _db.OpenConnectionAsync();
        await using var insert = new NpgsqlCommand($"INSERT INTO {table} (id, a) VALUES ($1, $2)", connection);
        insert.Parameters.Add(new NpgsqlParameter<long>());
        insert.Parameters.Add(new NpgsqlParameter<string>());
        await insert.PrepareAsync();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            ((NpgsqlParameter<long>)insert.Parameters[0]).TypedValue = i;
            ((NpgsqlParameter<string>)insert.Parameters[1]).TypedValue = "value " + i;
            await insert.ExecuteNonQueryAsync();
        }

        return clock.Elapsed;
    }

    private async Task<(TimeSpan Took, long Batches, long PeakWorkingSet)> BackfillAsync(TimeSpan? target = null)
    {
        await using var connection = await _setup.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 1000)
        {
            TargetBatchDuration = target ?? TimeSpan.FromMilliseconds(150),
        });
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(1, new BackfillSpec("bench", null, Set, Pending));
        var took = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        return (took, result.Batches, peak);
    }

    /// <summary>
    /// The throughput ratio (single UPDATE time / backfill time) on a plain table and on the same rows
    /// hash-partitioned into <paramref name="partitions"/> partitions, which the backfill does one
    /// partition at a time; the two rounds alternate <paramref name="rounds"/> times and each ratio is
    /// the median.
    /// </summary>
    public async Task<string> ThroughputAsync(long rows, int partitions, int rounds = 3)
    {
        var text = new StringBuilder(Invariant($"Throughput on {rows:N0} rows, median of {rounds} alternating rounds:\n\n| table | single UPDATE | Migrator backfill | throughput ratio |\n|---|---|---|---|\n"));
        foreach (int parts in new[] { 0, partitions })
        {
            var singles = new List<double>();
            var ours = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                await BenchTable.CreateAsync(_setup, rows, parts);
                singles.Add((await TimeAsync(() => BenchTable.ExecuteAsync(_setup, $"UPDATE bench SET {Set} WHERE {Pending}"))).TotalSeconds);
                await BenchTable.CreateAsync(_setup, rows, parts);
                ours.Add((await BackfillAsync()).Took.TotalSeconds);
                log.WriteLine(Invariant($"{(parts == 0 ? "plain" : $"{parts} partitions")}: single {singles[^1]:0.0} s, backfill {ours[^1]:0.0} s"));
            }

            double single = Median(singles), backfill = Median(ours);
            string label = parts == 0 ? "plain" : $"hash-partitioned into {parts}";
            text.AppendLine(Invariant($"| {label} | {single:0.0} s | {backfill:0.0} s | {single / backfill:0.00} |"));
        }

        return text.ToString();

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
