using System.Globalization;
using Migrator.Bench;
using Migrator.Tests.Infrastructure;

// dotnet run -c Release --project bench/Migrator.Bench -- [rows,rows,...] [--out docs/benchmarks.md]
// dotnet run -c Release --project bench/Migrator.Bench -- compatibility [--out docs/benchmarks.md]
//   (replaces the section between the compatibility markers of the file)
// dotnet run -c Release --project bench/Migrator.Bench -- sql   (the SQL analyser's speed over the test corpus)
if (args.FirstOrDefault() == "sql")
{
    Console.WriteLine(SqlAnalyzerBench.Run(Path.Combine(RepoPaths.Root, "tests", "Migrator.Analyzers.Tests", "Sql", "pg-corpus.sql")));
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
    if (args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() is { } file)
    {
        string start = $"<!-- {args[0]}:start -->", end = $"<!-- {args[0]}:end -->";
        string text = await File.ReadAllTextAsync(file);
        int from = text.IndexOf(start, StringComparison.Ordinal), to = text.IndexOf(end, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text[..(from + start.Length)] + "\n" + table + text[to..]);
    }

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
    if (args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() is { } file)
    {
        const string start = "<!-- latency:start -->", end = "<!-- latency:end -->";
        string text = await File.ReadAllTextAsync(file);
        int from = text.IndexOf(start, StringComparison.Ordinal), to = text.IndexOf(end, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text[..(from + start.Length)] + "\n" + table + text[to..]);
    }

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

if (args.FirstOrDefault() == "explore")
{
    using var exploreCluster = PostgresCluster.Start();
    string db = exploreCluster.CreateDatabase("bench");
    var grid = args.Skip(2).Select(g => g.Split('/')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)));
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
