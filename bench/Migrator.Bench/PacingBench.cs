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
/// (random keys) or hot (90 % of writes on 1 % of the keys); each point is the writer's p99 over its
/// idle p99 and the single UPDATE's time over the backfill's. Also two workers at the default. Draws
/// the curve with ScottPlot.
/// </summary>
public sealed class PacingBench(string connectionString, TextWriter log)
{
    private const string Set = "b = upper(a)";
    private const string Pending = "b IS NULL";
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);

    // The bench's own setup runs on connections that close afterwards: an idle pooled connection that ran
    // something in the last second is the app to the pacing.
    private readonly NpgsqlDataSource _setup = NpgsqlDataSource.Create(connectionString + ";Pooling=false");

    public sealed record Point(string Writer, string Setting, double P99Ratio, double ThroughputRatio, double P99Ms, double IdleP99Ms, double Seconds, int Writes);

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
        foreach (string writer in new[] { "uniform", "hot" }.Where(Measured))
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

        foreach (string writer in new[] { "light", "light-elsewhere" }.Where(Measured))
        {
            foreach (var m in new double?[] { null, 2 })
            {
                points.Add(await UnderLoadAsync(rows, writer, m, workers: 1, single));
            }
        }

        foreach (string writer in new[] { "uniform", "hot" }.Where(Measured))
        {
            points.Add(await BusyCpuAsync(rows, writer));
        }

        var text = new StringBuilder();
        text.AppendLine(Invariant($"{rows:N0} rows; single UPDATE alone {single:0.0} s; the backfill alone at the default settings {alone:0.0} s: throughput ratio **{single / alone:0.00}** (goal ≥ 0.7 with no load); with every batch in the SKIP LOCKED form, {locking:0.0} s ({single / locking:0.00})."));
        text.AppendLine();
        text.AppendLine("| writer | --max-app-impact | idle p99 | p99 during | p99 ratio (goal ≤ 2 at the default, 2) | backfill | throughput ratio (goal ≥ 0.5) | app writes |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var p in points)
        {
            text.AppendLine(double.IsNaN(p.ThroughputRatio)
                ? Invariant($"| {p.Writer} | {p.Setting} | {p.IdleP99Ms:0.00} ms | {p.P99Ms:0.00} ms | {p.P99Ratio:0.00} | – | – | {p.Writes:N0} |")
                : Invariant($"| {p.Writer} | {p.Setting} | {p.IdleP99Ms:0.00} ms | {p.P99Ms:0.00} ms | {p.P99Ratio:0.00} | {p.Seconds:0.0} s | {p.ThroughputRatio:0.00} | {p.Writes:N0} |"));
        }

        return (text.ToString(), points);
    }

    /// <summary>Points above this p99 ratio are drawn at it, labelled with their ratio.</summary>
    private const double PlotCeiling = 12;

    /// <summary>Draws p99 ratio against throughput ratio, one series per writer, each point labelled
    /// (a point above <see cref="PlotCeiling"/> at the top, with its ratio).</summary>
    public static void Plot(IReadOnlyList<Point> points, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var group in points.Where(p => !p.Setting.Contains("workers", StringComparison.Ordinal) && !double.IsNaN(p.ThroughputRatio)).GroupBy(p => p.Writer))
        {
            var series = group.ToList();
            var scatter = plot.Add.Scatter(series.Select(p => p.ThroughputRatio).ToArray(), series.Select(p => Math.Min(p.P99Ratio, PlotCeiling)).ToArray());
            scatter.LegendText = group.Key + " writer";
            scatter.MarkerSize = 8;
            scatter.LineWidth = 0;
            foreach (var p in series)
            {
                string text = p.P99Ratio > PlotCeiling ? Invariant($"{p.Setting} ({p.P99Ratio:0}×, off the chart)") : p.Setting;
                var label = plot.Add.Text(text, p.ThroughputRatio, Math.Min(p.P99Ratio, PlotCeiling));
                label.LabelFontSize = 11;
                label.OffsetY = -4;
            }
        }

        var goalP99 = plot.Add.HorizontalLine(2);
        goalP99.LegendText = "p99 goal (2×)";
        goalP99.LinePattern = ScottPlot.LinePattern.Dashed;
        var goalThroughput = plot.Add.VerticalLine(0.5);
        goalThroughput.LegendText = "throughput goal (0.5×)";
        goalThroughput.LinePattern = ScottPlot.LinePattern.Dotted;
        plot.Title("Backfill pacing: app writer p99 vs backfill throughput (--max-app-impact)");
        plot.XLabel("throughput ratio (single UPDATE time / backfill time)");
        plot.YLabel("app writer p99 / idle p99");
        plot.Axes.SetLimitsX(0, 1.1);
        plot.Axes.SetLimitsY(0, Math.Min(PlotCeiling, Math.Max(4, points.Max(p => p.P99Ratio))) * 1.1);
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
            if (cells.Length != 8 || !double.TryParse(cells[4].Trim(), CultureInfo.InvariantCulture, out double ratio))
            {
                continue;
            }

            points.Add(new Point(cells[0].Trim(), cells[1].Trim(), ratio, Number(cells[6]), Number(cells[3]), Number(cells[2]), Number(cells[5]), (int)Number(cells[7])));
        }

        return points;
    }

    /// <summary>A fresh table, the writer's idle p99 over 5 s, then the writer started again (warm).</summary>
    private async Task<(double IdleP99, AppWriter Writes)> IdleThenStartAsync(long rows, string writer)
    {
        await BenchTable.CreateAsync(_setup, rows);
        double idleP99 = P99(await AppWriter.RunAsync(connectionString, rows, writer, TimeSpan.FromSeconds(5)));
        return (idleP99, await AppWriter.StartAsync(connectionString, rows, writer));
    }

    private async Task<Point> UnderLoadAsync(long rows, string writer, double? m, int workers, double single)
    {
        var (idleP99, writes) = await IdleThenStartAsync(rows, writer);
        await Task.Delay(500);
        var options = new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150), MaxAppImpact = m };
        var batches = new List<BackfillProgress>();
        var took = await TimeAsync(() => BackfillAsync(options, workers, batches));
        var latencies = await writes.StopAsync();
        double p99 = P99(latencies);
        string setting = (m is null ? "off" : m.Value.ToString(CultureInfo.InvariantCulture)) + (workers > 1 ? $", {workers} workers" : "");
        var point = new Point(writer, setting, p99 / idleP99, single / took.TotalSeconds, p99, idleP99, took.TotalSeconds, latencies.Count);
        double inBatches = batches.Sum(b => b.Took.TotalSeconds), paused = batches.Sum(b => b.Pause.TotalSeconds);
        log.WriteLine(Invariant($"{writer} writer, --max-app-impact {setting}: p99 {p99:0.000} ms against {idleP99:0.000} ms idle ({point.P99Ratio:0.00}×), backfill {took.TotalSeconds:0.0} s ({point.ThroughputRatio:0.00}× the single UPDATE); in the last pass's {batches.Count} batches: the app light at {batches.Count(b => b.AppLight)}, {batches.Count(b => b.KeyRange)} key-range ({batches.Count(b => b.FellBack)} fell back), {inBatches:0.0} s in batches, {paused:0.0} s paused"));
        return point;
    }

    /// <summary>
    /// The control: no backfill, one backend busy on the CPU for 5 s (a query that reads no table, takes
    /// no lock and writes nothing) while the writer runs. Its p99 ratio is what sharing the CPU alone does
    /// to the writer, the least that any backfill running all of the time costs it on this machine.
    /// </summary>
    private async Task<Point> BusyCpuAsync(long rows, string writer)
    {
        var (idleP99, writes) = await IdleThenStartAsync(rows, writer);
        await using var connection = await _setup.OpenConnectionAsync();
        using var stop = new CancellationTokenSource();
        await using var burn = new NpgsqlCommand("SELECT count(*) FROM generate_series(1, 100000000000)", connection) { CommandTimeout = 0 };
        var busy = burn.ExecuteScalarAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var latencies = await writes.StopAsync();
        await stop.CancelAsync();
        try
        {
            await busy;
        }
        catch (OperationCanceledException)
        {
        }

        double p99 = P99(latencies);
        var point = new Point(writer, "no backfill: one backend busy on the CPU", p99 / idleP99, double.NaN, p99, idleP99, 5, latencies.Count);
        log.WriteLine(Invariant($"{writer} writer, one backend busy on the CPU: p99 {p99:0.000} ms against {idleP99:0.000} ms idle ({point.P99Ratio:0.00}×)"));
        return point;
    }

    private async Task BackfillAsync(BackfillOptions options, int workers, List<BackfillProgress>? batches = null)
    {
        var spec = new BackfillSpec("bench", null, Set, Pending);
        if (workers > 1)
        {
            await new ParallelBackfill(async ct => await _setup.OpenConnectionAsync(ct), "migrator", options).RunAsync(1, spec, workers);
        }

        await using var connection = await _setup.OpenConnectionAsync();
        await new BackfillRunner(connection, new CheckpointStore("migrator"), options).RunAsync(1, spec, batches is null ? null : new Collect(batches));
    }

    // Synchronous: Progress<T> would post to the thread pool, after the run has ended.
    private sealed class Collect(List<BackfillProgress> batches) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => batches.Add(value);
    }

    private static double P99(List<double> latencies)
    {
        latencies.Sort();
        return latencies[(int)(latencies.Count * 0.99)];
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
