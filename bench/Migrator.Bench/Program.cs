using System.Globalization;
using Migrator.Bench;
using Migrator.Tests.Infrastructure;

// The app writer of the backfill benches, in a process of its own (AppWriter starts it).
if (args.FirstOrDefault() == "app-writer")
{
    AppWriter.Serve(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- [rows,rows,...] [--out docs/benchmarks.md]
// dotnet run -c Release --project bench/Migrator.Bench -- compatibility [--out docs/benchmarks.md]
//   (replaces the section between the compatibility markers of the file)
// dotnet run -c Release --project bench/Migrator.Bench -- sql   (the SQL analyser's speed over the test corpus)
if (args.FirstOrDefault() == "sql")
{
    Console.WriteLine(SqlAnalyzerBench.Run(Path.Combine(RepoPaths.Root, "tests", "Migrator.Analyzers.Tests", "Sql", "pg-corpus.sql")));
    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- wrappers [files] [--out docs/benchmarks.md]
//   (usage extract on a generated app of Dapper behind wrappers, with HTTP/retry/cache decoys: found vs there, and time)
if (args.FirstOrDefault() == "wrappers")
{
    int files = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int n) ? n : 1600;
    string table = WrapperCorpusBench.Run(files, Console.Out);
    Console.WriteLine(table);
    await WriteSectionAsync(args, "wrappers", table);

    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- build-time [--rounds 7] [--keep] [--out docs/benchmarks.md]
//   (packs Migrator.Analyzers into a temporary feed and builds a generated app with and without it)
if (args.FirstOrDefault() is "compatibility" or "build-time")
{
    bool buildTime = args[0] == "build-time";
    int rounds = args.SkipWhile(a => a != "--rounds").Skip(1).FirstOrDefault() is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 7;
    string table = buildTime ? await new BuildTimeBench(Console.Out, args.Contains("--keep")).RunAsync(rounds) : await new CompatibilityBench(Console.Out).RunAsync();
    Console.WriteLine(table);
    await WriteSectionAsync(args, args[0], table);

    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- latency [--out docs/benchmarks.md]
//   (warm wall time of status, plan and gate on the shop sample, one process each)
if (args.FirstOrDefault() == "latency")
{
    using var latencyCluster = PostgresCluster.Start();
    string db = latencyCluster.CreateDatabase("latency");
    string table = new CommandLatencyBench(db, Console.Out).Run();
    latencyCluster.DropDatabase(db);
    Console.WriteLine(table);
    await WriteSectionAsync(args, "latency", table);

    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- throughput 1000000 [partitions]
//   (the backfill against one UPDATE on a plain and on a hash-partitioned table)
if (args.FirstOrDefault() == "throughput")
{
    long rows = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    int partitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    using var throughputCluster = PostgresCluster.Start();
    string db = throughputCluster.CreateDatabase("bench");
    Console.WriteLine(await new BackfillBench(db, Console.Out).ThroughputAsync(rows, partitions));
    throughputCluster.DropDatabase(db);
    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- pacing-plot docs/benchmarks.md
//   (redraws docs/pacing-tradeoff.png and docs/pacing-mean.png from the first run's table between the
//   pacing markers, as the pacing bench draws them)
if (args.FirstOrDefault() == "pacing-plot")
{
    string text = await File.ReadAllTextAsync(args[1]);
    int from = text.IndexOf("<!-- pacing:start -->", StringComparison.Ordinal), to = text.IndexOf("Spread over", from, StringComparison.Ordinal);
    PacingBench.Plot(PacingBench.Parse(text[from..to]), Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- pacing [rows] [--runs 3] [--only light,uniform] [--settings off,2] [--out docs/benchmarks.md]
//   (the impact-aware pacing's trade-off; the first run's table goes between the pacing markers and its
//   plots to docs/pacing-tradeoff.png and docs/pacing-mean.png; further runs add the spread)
if (args.FirstOrDefault() == "pacing")
{
    long rows = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    int runs = args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 1;
    // --settings off,2: the --max-app-impact values measured for the uniform and hot writers (a quicker look;
    // the docs are left as they are).
    double?[] settings = args.SkipWhile(a => a != "--settings").Skip(1).FirstOrDefault() is { } values
        ? values.Split(',').Select(v => v == "off" ? (double?)null : double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
        : [null, 4, 3, 2, 1.5];
    // --only light,uniform: a quicker look at some writers; the docs are left as they are.
    var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() is { } kinds ? kinds.Split(',').ToHashSet() : null;
    bool partial = only is not null || args.Contains("--settings");
    // The writers of the -remote kinds connect by another address of this machine, which the cluster
    // listens on too (RemoteAddress).
    string? remote = RemoteAddress.Find();
    using var pacingCluster = PostgresCluster.Start(remote);
    string db = pacingCluster.CreateDatabase("bench");
    var all = new List<List<PacingBench.Point>>();
    string first = "";
    for (int run = 0; run < runs; run++)
    {
        var (table, points) = await new PacingBench(db, Console.Out, remote).RunAsync(rows, settings, only);
        Console.WriteLine(table);
        first = run == 0 ? table : first;
        all.Add(points);
    }

    var pacingReport = new System.Text.StringBuilder(first);
    if (runs > 1)
    {
        pacingReport.AppendLine();
        pacingReport.AppendLine($"Spread over {runs} runs (each run: p99 ratio / mean ratio / throughput ratio):");
        pacingReport.AppendLine();
        pacingReport.AppendLine("| writer | --max-app-impact | " + string.Join(" | ", Enumerable.Range(1, runs).Select(n => $"run {n}")) + " |");
        pacingReport.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", runs)));
        for (int i = 0; i < all[0].Count; i++)
        {
            pacingReport.AppendLine($"| {all[0][i].Writer} | {all[0][i].Setting} | " + string.Join(" | ", all.Select(points => string.Create(CultureInfo.InvariantCulture, $"{points[i].P99Ratio:0.00} / {points[i].MeanRatio:0.00} / {(double.IsNaN(points[i].ThroughputRatio) ? "–" : points[i].ThroughputRatio.ToString("0.00", CultureInfo.InvariantCulture))}"))) + " |");
        }
    }

    Console.WriteLine(pacingReport);
    if (!partial && args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() is { } file)
    {
        PacingBench.Plot(all[0], Path.GetDirectoryName(Path.GetFullPath(file))!);
        await WriteSectionAsync(args, "pacing", pacingReport.ToString());
    }

    pacingCluster.DropDatabase(db);
    return;
}

// dotnet run -c Release --project bench/Migrator.Bench -- explore 1000000 150/0/off 10/20/2 …
//   (exploration: the single UPDATE's time, then the app writer's latency percentiles for batch-target/delay/impact triples)
if (args.FirstOrDefault() == "explore")
{
    using var exploreCluster = PostgresCluster.Start();
    string db = exploreCluster.CreateDatabase("bench");
    var grid = args.Skip(2).Select(g => g.Split('/')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture), p.Length > 2 && p[2] != "off" ? double.Parse(p[2], CultureInfo.InvariantCulture) : (double?)null));
    Console.WriteLine(await new BackfillBench(db, Console.Out).ExploreAsync(long.Parse(args[1], CultureInfo.InvariantCulture), grid));
    return;
}

var sizes = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } list
    ? list.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray()
    : [1_000_000L, 10_000_000L];
string? output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();

using var cluster = PostgresCluster.Start();
string connection = cluster.CreateDatabase("bench");
var report = await new BackfillBench(connection, Console.Out).RunAsync(sizes);
Console.WriteLine();
Console.WriteLine(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, report);
}

cluster.DropDatabase(connection);

// Replaces the section between <!-- name:start --> and <!-- name:end --> of the file given with --out, if any.
static async Task WriteSectionAsync(string[] args, string name, string table)
{
    if (args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() is { } file)
    {
        string start = $"<!-- {name}:start -->", end = $"<!-- {name}:end -->";
        string text = await File.ReadAllTextAsync(file);
        int from = text.IndexOf(start, StringComparison.Ordinal), to = text.IndexOf(end, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text[..(from + start.Length)] + "\n" + table + text[to..]);
    }
}
