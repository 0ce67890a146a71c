using System.Diagnostics;
using System.Globalization;
using System.Text;
using Migrator.Backfill;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// The impact-aware pacing's trade-off, measured in one run on one server: the single UPDATE's time
/// alone (the throughput reference), our backfill alone at the default settings, an app writer's idle
/// p99, then the backfill at several --max-app-impact settings (and off) while the writer runs, uniform
/// (random keys) or hot (90 % of writes on 1 % of the keys), each once in .NET (<see cref="AppWriter"/>)
/// and once in C (<see cref="PgbenchWriter"/>, pgbench); each point is the writer's p99 over its
/// idle p99 and the single UPDATE's time over the backfill's, with the writer's mean ratio and longest
/// write (which count the time it spent stalled, where its p99 does not). Also two workers at the
/// default, the writer on another table, a light writer (in .NET and in C), the single UPDATE under the
/// writer, and a CPU-only control. Draws the curve with ScottPlot.
/// </summary>
/// <param name="remote">An address of this machine other than a loopback one that the cluster listens on
/// (<see cref="RemoteAddress"/>), for the writers the server must take for an app on another host
/// (kinds ending in <c>-remote</c>); null leaves them out.</param>
public sealed class PacingBench(string connectionString, TextWriter log, string? remote = null)
{
    private const string Set = "b = upper(a)";
    private const string Pending = "b IS NULL";
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);

    // The bench's own setup runs on connections that close afterwards: an idle pooled connection that ran
    // something in the last second is the app to the pacing.
    private readonly NpgsqlDataSource _setup = NpgsqlDataSource.Create(connectionString + ";Pooling=false");

    /// <param name="MeanRatio">The writer's mean latency during over its idle mean: for a writer that
    /// writes one after another, the inverse of its rate. Unlike the p99, it counts the time the writer
    /// spent stalled: a write stalled for 3 s is one write in the p99, but 3 s in the mean.</param>
    /// <param name="LongestMs">The writer's longest write during the point.</param>
    public sealed record Point(string Writer, string Setting, double P99Ratio, double ThroughputRatio, double P99Ms, double IdleP99Ms, double Seconds, int Writes, double MeanRatio, double LongestMs);

    /// <summary>A writer's latencies summed up, in milliseconds.</summary>
    private readonly record struct Latencies(double P99, double Mean, double Longest, int Count)
    {
        public static Latencies Of(List<double> latencies)
        {
            latencies.Sort();
            return new(latencies[(int)(latencies.Count * 0.99)], latencies.Average(), latencies[^1], latencies.Count);
        }
    }

    private static Point PointOf(string writer, string setting, Latencies idle, Latencies during, double throughputRatio, double seconds) =>
        new(writer, setting, during.P99 / idle.P99, throughputRatio, during.P99, idle.P99, seconds, during.Count, during.Mean / idle.Mean, during.Longest);

    /// <param name="writers">The writer kinds measured (all of them when null): a quicker look at a few.</param>
    public async Task<(string Table, List<Point> Points)> RunAsync(long rows, IReadOnlyList<double?> settings, IReadOnlySet<string>? writers = null)
    {
        bool Measured(string writer) => writers is null || writers.Contains(writer);
        await BenchTable.CreateAsync(_setup, rows);
        double single = (await TimeAsync(() => BenchTable.ExecuteAsync(_setup, $"UPDATE bench SET {Set} WHERE {Pending}"))).TotalSeconds;
        await BenchTable.CreateAsync(_setup, rows);
        var aloneBatches = new List<BackfillProgress>();
        double alone = (await TimeAsync(() => BackfillAsync(new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150) }, 1, aloneBatches))).TotalSeconds;
        double inBatches = aloneBatches.Sum(b => b.Took.TotalSeconds), paused = aloneBatches.Sum(b => b.Pause.TotalSeconds);
        log.WriteLine(Invariant($"single UPDATE {single:0.00} s, backfill alone (default pacing) {alone:0.00} s: {aloneBatches.Count} batches ({aloneBatches.Count(b => b.KeyRange)} as key-range UPDATEs), {inBatches:0.00} s in them, {paused:0.00} s paused, {alone - inBatches - paused:0.00} s outside them"));
        await BenchTable.CreateAsync(_setup, rows);
        double locking = (await TimeAsync(() => BackfillAsync(new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150), KeyRangeBatches = false }, 1))).TotalSeconds;
        log.WriteLine(Invariant($"backfill alone with every batch in the SKIP LOCKED form {locking:0.00} s"));

        var points = new List<Point>();
        foreach (string writer in new[] { "uniform", "hot", "pgbench-uniform", "pgbench-hot" }.Where(Measured))
        {
            foreach (var m in settings)
            {
                points.Add(await UnderLoadAsync(rows, writer, m, workers: 1, single));
            }
        }

        if (Measured("uniform"))
        {
            points.Add(await UnderLoadAsync(rows, "uniform", 2, workers: 2, single));
        }

        // The busy writers as an app on another host, as the pacing sees it (RemoteAddress).
        var remoteWriters = new[] { "uniform-remote", "pgbench-uniform-remote" }.Where(Measured).ToList();
        if (remote is null && remoteWriters.Count > 0)
        {
            log.WriteLine("no address of this machine other than a loopback one: the -remote writers are left out");
        }

        foreach (string writer in remote is null ? [] : remoteWriters)
        {
            foreach (var m in new double?[] { null, 2 })
            {
                points.Add(await UnderLoadAsync(rows, writer, m, workers: 1, single));
            }
        }

        foreach (string writer in new[] { "uniform-elsewhere", "light", "pgbench-light", "pgbench-light-pool", "light-elsewhere", "light-other-rows" }.Where(Measured))
        {
            foreach (var m in new double?[] { null, 2 })
            {
                points.Add(await UnderLoadAsync(rows, writer, m, workers: 1, single));
            }
        }

        foreach (string writer in new[] { "uniform", "hot" }.Where(Measured))
        {
            points.Add(await SingleUpdateUnderLoadAsync(rows, writer, single));
        }

        foreach (string writer in new[] { "uniform", "hot", "pgbench-uniform", "pgbench-hot" }.Where(Measured))
        {
            points.Add(await BusyCpuAsync(rows, writer));
        }

        var text = new StringBuilder();
        text.AppendLine(Invariant($"{rows:N0} rows; single UPDATE alone {single:0.0} s; the backfill alone at the default settings {alone:0.0} s: throughput ratio **{single / alone:0.00}** (goal ≥ 0.7 with no load); with every batch in the SKIP LOCKED form, {locking:0.0} s ({single / locking:0.00})."));
        text.AppendLine();
        text.AppendLine("| writer | --max-app-impact | idle p99 | p99 during | p99 ratio (goal ≤ 2 at the default, 2) | mean ratio | longest write | backfill | throughput ratio (goal ≥ 0.5) | app writes |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in points)
        {
            text.AppendLine(double.IsNaN(p.ThroughputRatio)
                ? Invariant($"| {p.Writer} | {p.Setting} | {p.IdleP99Ms:0.00} ms | {p.P99Ms:0.00} ms | {p.P99Ratio:0.00} | {p.MeanRatio:0.00} | {p.LongestMs:0.0} ms | – | – | {p.Writes:N0} |")
                : Invariant($"| {p.Writer} | {p.Setting} | {p.IdleP99Ms:0.00} ms | {p.P99Ms:0.00} ms | {p.P99Ratio:0.00} | {p.MeanRatio:0.00} | {p.LongestMs:0.0} ms | {p.Seconds:0.0} s | {p.ThroughputRatio:0.00} | {p.Writes:N0} |"));
        }

        return (text.ToString(), points);
    }

    /// <summary>Points above this p99 ratio are drawn at it, labelled with their ratio.</summary>
    private const double PlotCeiling = 12;

    /// <summary>Draws both plots into <paramref name="directory"/>: the p99 ratio against the throughput ratio
    /// (pacing-tradeoff.png) and the mean ratio against it (pacing-mean.png).</summary>
    public static void Plot(IReadOnlyList<Point> points, string directory)
    {
        Draw(points, p => p.P99Ratio, "p99", Path.Combine(directory, "pacing-tradeoff.png"));
        Draw(points, p => p.MeanRatio, "mean", Path.Combine(directory, "pacing-mean.png"));
    }

    /// <summary>Draws a latency ratio against the throughput ratio, one series per writer, each point labelled
    /// (a point above <see cref="PlotCeiling"/> at the top, with its ratio).</summary>
    private static void Draw(IReadOnlyList<Point> points, Func<Point, double> ratio, string what, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var group in points.Where(p => !p.Setting.Contains("workers", StringComparison.Ordinal) && !double.IsNaN(p.ThroughputRatio)).GroupBy(p => p.Writer))
        {
            var series = group.ToList();
            var scatter = plot.Add.Scatter(series.Select(p => p.ThroughputRatio).ToArray(), series.Select(p => Math.Min(ratio(p), PlotCeiling)).ToArray());
            scatter.LegendText = group.Key + " writer";
            scatter.MarkerSize = 8;
            scatter.LineWidth = 0;
            foreach (var p in series)
            {
                string setting = p.Setting.StartsWith("single UPDATE", StringComparison.Ordinal) ? "single UPDATE" : p.Setting;
                string text = ratio(p) > PlotCeiling ? Invariant($"{setting} ({ratio(p):0}×, off the chart)") : setting;
                var label = plot.Add.Text(text, p.ThroughputRatio, Math.Min(ratio(p), PlotCeiling));
                label.LabelFontSize = 11;
                label.OffsetY = -4;
                // Labels right of the points near the right edge would be cut: those go to their left.
                label.LabelAlignment = p.ThroughputRatio > 0.8 ? ScottPlot.Alignment.LowerRight : ScottPlot.Alignment.LowerLeft;
            }
        }

        var goalP99 = plot.Add.HorizontalLine(2);
        goalP99.LegendText = what == "p99" ? "p99 goal (2×)" : "2×";
        goalP99.LinePattern = ScottPlot.LinePattern.Dashed;
        var goalThroughput = plot.Add.VerticalLine(0.5);
        goalThroughput.LegendText = "throughput goal (0.5×)";
        goalThroughput.LinePattern = ScottPlot.LinePattern.Dotted;
        plot.Title($"Backfill pacing: app writer {what} latency vs backfill throughput (--max-app-impact)");
        plot.XLabel("throughput ratio (single UPDATE time / backfill time)");
        plot.YLabel($"app writer {what} latency / idle {what}");
        plot.Axes.SetLimitsX(0, 1.1);
        plot.Axes.SetLimitsY(0, Math.Min(PlotCeiling, Math.Max(4, points.Max(ratio))) * 1.1);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }

    /// <summary>The points of a run's table as <see cref="RunAsync"/> writes it (to redraw its plot).</summary>
    public static List<Point> Parse(string table)
    {
        static double Number(string cell) => cell.Trim() is "–" ? double.NaN : double.Parse(cell.Trim().Split(' ')[0].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var points = new List<Point>();
        foreach (string line in table.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            string[] cells = line.Trim().Trim('|').Split('|');
            if (cells.Length != 10 || !double.TryParse(cells[4].Trim(), CultureInfo.InvariantCulture, out double ratio))
            {
                continue;
            }

            points.Add(new Point(cells[0].Trim(), cells[1].Trim(), ratio, Number(cells[8]), Number(cells[3]), Number(cells[2]), Number(cells[7]), (int)Number(cells[9]), Number(cells[5]), Number(cells[6])));
        }

        return points;
    }

    /// <summary>A fresh table, the writer's idle p99 over 5 s, then the writer started again (warm).</summary>
    private async Task<(Latencies Idle, IAppWriter Writes)> IdleThenStartAsync(long rows, string writer)
    {
        // The light-other-rows writer writes rows after the first `rows`, which are not pending.
        await BenchTable.CreateAsync(_setup, rows, doneRows: writer == "light-other-rows" ? rows : 0);
        // A -remote writer connects by the machine's other address, as the writer of that kind.
        const string Remote = "-remote";
        var (target, kind) = writer.EndsWith(Remote, StringComparison.Ordinal)
            ? (RemoteAddress.Via(connectionString, remote!), writer[..^Remote.Length])
            : (connectionString, writer);
        var idle = Latencies.Of(await AppWriter.RunAsync(target, rows, kind, TimeSpan.FromSeconds(5)));
        return (idle, await AppWriter.StartAsync(target, rows, kind));
    }

    private async Task<Point> UnderLoadAsync(long rows, string writer, double? m, int workers, double single)
    {
        var (idle, writes) = await IdleThenStartAsync(rows, writer);
        await Task.Delay(500);
        var options = new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150), MaxAppImpact = m };
        var batches = new List<BackfillProgress>();
        var took = await TimeAsync(() => BackfillAsync(options, workers, batches));
        var during = Latencies.Of(await writes.StopAsync());
        string setting = (m is null ? "off" : m.Value.ToString(CultureInfo.InvariantCulture)) + (workers > 1 ? $", {workers} workers" : "");
        var point = PointOf(writer, setting, idle, during, single / took.TotalSeconds, took.TotalSeconds);
        double inBatches = batches.Sum(b => b.Took.TotalSeconds), paused = batches.Sum(b => b.Pause.TotalSeconds);
        log.WriteLine(Invariant($"{writer} writer, --max-app-impact {setting}: p99 {during.P99:0.000} ms against {idle.P99:0.000} ms idle ({point.P99Ratio:0.00}×), mean {point.MeanRatio:0.00}×, longest {during.Longest:0.0} ms, backfill {took.TotalSeconds:0.0} s ({point.ThroughputRatio:0.00}× the single UPDATE); in the last pass's {batches.Count} batches: the app light at {batches.Count(b => b.AppLight)}, {batches.Count(b => b.KeyRange)} key-range ({batches.Count(b => b.FellBack)} fell back{FallbackReasons(batches)}), {inBatches:0.0} s in batches, {paused:0.0} s paused; at their commits, app backends waiting on LWLock/BufferPin/IO at {batches.Count(b => b.Impact?.Contended > 0)}, on the batch's locks at {batches.Count(b => b.Impact?.Blocked > 0)}"));
        if (m is not null && batches.Count > 0)
        {
            log.WriteLine(Invariant($"  waits by batch length: {WaitsByLength(batches)}; duty mean {batches.Average(b => b.Duty):0.00}"));
        }

        return point;
    }

    /// <summary>The batches by how long they took, with the app backends counted waiting on their locks at
    /// their commits (where the waits come from: long batches, or many short ones).</summary>
    private static string WaitsByLength(List<BackfillProgress> batches) =>
        string.Join(", ", batches.GroupBy(b => b.Took.TotalMilliseconds switch { < 15 => "<15 ms", < 30 => "15-30 ms", < 60 => "30-60 ms", < 120 => "60-120 ms", _ => "≥120 ms" })
            .OrderBy(g => g.Min(b => b.Took))
            .Select(g => Invariant($"{g.Key}: {g.Count()} batches, {g.Sum(b => b.Impact?.Blocked ?? 0)} waiting")));

    /// <summary>Why the batches that fell back did, counted by reason (empty when none did).</summary>
    private static string FallbackReasons(List<BackfillProgress> batches) =>
        string.Concat(batches.Where(b => b.FellBackOn is not null).GroupBy(b => b.FellBackOn!.Value).Select(g => Invariant($", {g.Count()} on {g.Key}")));

    /// <summary>
    /// What the backfill replaces: the single UPDATE run while the writer runs. Its p99 ratio is what the
    /// app feels of a migration that updates the table in one statement (every write to a row it has
    /// updated waits for its commit); its throughput ratio is its time alone over its time under the
    /// writer, what the writer costs the UPDATE itself.
    /// </summary>
    private async Task<Point> SingleUpdateUnderLoadAsync(long rows, string writer, double single)
    {
        var (idle, writes) = await IdleThenStartAsync(rows, writer);
        await Task.Delay(500);
        var took = await TimeAsync(() => BenchTable.ExecuteAsync(_setup, $"UPDATE bench SET {Set} WHERE {Pending}"));
        var during = Latencies.Of(await writes.StopAsync());
        var point = PointOf(writer, "single UPDATE, no backfill", idle, during, single / took.TotalSeconds, took.TotalSeconds);
        log.WriteLine(Invariant($"{writer} writer, the single UPDATE instead of the backfill: p99 {during.P99:0.000} ms against {idle.P99:0.000} ms idle ({point.P99Ratio:0.00}×), mean {point.MeanRatio:0.00}×, longest {during.Longest:0.0} ms, UPDATE {took.TotalSeconds:0.0} s ({point.ThroughputRatio:0.00}× its time alone)"));
        return point;
    }

    /// <summary>
    /// The control: no backfill, one backend busy on the CPU for 5 s (a query that reads no table, takes
    /// no lock and writes nothing) while the writer runs. Its p99 ratio is what sharing the CPU alone does
    /// to the writer, the least that any backfill running all of the time costs it on this machine.
    /// </summary>
    private async Task<Point> BusyCpuAsync(long rows, string writer)
    {
        var (idle, writes) = await IdleThenStartAsync(rows, writer);
        await using var connection = await _setup.OpenConnectionAsync();
        using var stop = new CancellationTokenSource();
        await using var burn = new NpgsqlCommand("SELECT count(*) FROM generate_series(1, 100000000000)", connection) { CommandTimeout = 0 };
        var busy = burn.ExecuteScalarAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var during = Latencies.Of(await writes.StopAsync());
        await stop.CancelAsync();
        try
        {
            await busy;
        }
        catch (OperationCanceledException)
        {
        }

        var point = PointOf(writer, "no backfill: one backend busy on the CPU", idle, during, double.NaN, 5);
        log.WriteLine(Invariant($"{writer} writer, one backend busy on the CPU: p99 {during.P99:0.000} ms against {idle.P99:0.000} ms idle ({point.P99Ratio:0.00}×), mean {point.MeanRatio:0.00}×, longest {during.Longest:0.0} ms"));
        return point;
    }

    private async Task BackfillAsync(BackfillOptions options, int workers, List<BackfillProgress>? batches = null)
    {
        var spec = new BackfillSpec("bench", null, Set, Pending);
        if (workers > 1)
        {
            var clock = Stopwatch.StartNew();
            long byWorkers = await new ParallelBackfill(async ct => await _setup.OpenConnectionAsync(ct), "migrator", options).RunAsync(1, spec, workers);
            log.WriteLine(Invariant($"{workers} workers: {byWorkers:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s, then the final pass:"));
        }

        await using var connection = await _setup.OpenConnectionAsync();
        await new BackfillRunner(connection, new CheckpointStore("migrator"), options) { AfterWorkers = workers > 1 }.RunAsync(1, spec, batches is null ? null : new Collect(batches));
    }

    // Synchronous: Progress<T> would post to the thread pool, after the run has ended.
    private sealed class Collect(List<BackfillProgress> batches) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => batches.Add(value);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
