using System.Diagnostics;
using Migrator.Analyzers.Sql;
using Superpower;

namespace Migrator.Bench;

/// <summary>Statements per second of the PostgreSQL DML analyser over the test corpus (204 statements), warm.</summary>
public static class SqlAnalyzerBench
{
    public static string Run(string corpusPath, int rounds = 50)
    {
        var statements = new List<string>();
        var current = new List<string>();
        foreach (string line in File.ReadAllLines(corpusPath))
        {
            if (line.StartsWith("=>", StringComparison.Ordinal))
            {
                statements.Add(string.Join("\n", current));
                current.Clear();
            }
            else if (!line.StartsWith("schema ", StringComparison.Ordinal) && (current.Count > 0 || (line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal))))
            {
                current.Add(line);
            }
        }

        // Warm up until the JIT has settled (tiered compilation promotes hot methods after ~30 calls).
        for (int i = 0; i < 5; i++)
        {
            foreach (var sql in statements)
            {
                PgSqlAnalyzer.Analyze(sql);
            }
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < rounds; i++)
        {
            foreach (var sql in statements)
            {
                PgSqlAnalyzer.Analyze(sql);
            }
        }

        double perStatement = watch.Elapsed.TotalMicroseconds / (rounds * statements.Count);
        watch.Restart();
        for (int i = 0; i < rounds; i++)
        {
            foreach (var sql in statements)
            {
                PgTokenizer.Instance.Tokenize(sql);
            }
        }

        double tokenizing = watch.Elapsed.TotalMicroseconds / (rounds * statements.Count);
        var lists = statements.Select(sql => PgTokenizer.Instance.Tokenize(sql)).ToList();
        watch.Restart();
        for (int i = 0; i < rounds; i++)
        {
            foreach (var tokens in lists)
            {
                PgGrammar.Complete(tokens);
            }
        }

        double parsing = watch.Elapsed.TotalMicroseconds / (rounds * statements.Count);
        var trees = lists.Select(t => PgGrammar.Complete(t)).Where(r => r.HasValue).Select(r => r.Value).ToList();
        watch.Restart();
        for (int i = 0; i < rounds; i++)
        {
            foreach (var tree in trees)
            {
                new SqlResolver(new SqlAnalysis(""), null).Resolve(tree);
            }
        }

        double resolving = watch.Elapsed.TotalMicroseconds / (rounds * statements.Count);
        return $"| PostgreSQL DML analyser, warm, {statements.Count} corpus statements × {rounds} | {perStatement:0} µs per statement ({1_000_000 / perStatement:0} statements/s), of which tokenizing {tokenizing:0} µs parsing {parsing:0} µs, resolving {resolving:0} µs |";
    }
}
