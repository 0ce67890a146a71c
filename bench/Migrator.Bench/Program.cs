using System.Globalization;
using Migrator.Bench;
using Migrator.Tests.Infrastructure;

// dotnet run -c Release --project bench/Migrator.Bench -- [rows,rows,...] [--out docs/benchmarks.md]
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
