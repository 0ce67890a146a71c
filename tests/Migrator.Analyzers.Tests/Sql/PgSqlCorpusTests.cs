using Migrator.Analyzers.Sql;

namespace Migrator.Analyzers.Tests.Sql;

/// <summary>
/// Precision and recall of the PostgreSQL analyser over pg-corpus.sql: every table and column fact the
/// analyser reports is compared with the facts written by hand next to each statement.
/// </summary>
public class PgSqlCorpusTests
{
    [Test]
    public void Corpus_is_large_enough_and_every_statement_parses()
    {
        var corpus = SqlCorpus.Load();
        Assert.That(corpus.Entries, Has.Count.GreaterThanOrEqualTo(150));
        var failures = corpus.Entries
            .Select(e => (e.Line, Analysis: PgSqlAnalyzer.Analyze(e.Sql, corpus)))
            .Where(x => x.Analysis.HasErrors)
            .Select(x => $"line {x.Line}: {string.Join("; ", x.Analysis.Errors)}")
            .ToList();
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Precision_and_recall_against_the_hand_written_facts()
    {
        var corpus = SqlCorpus.Load();
        Measure(corpus, corpus, minimumPrecision: 0.98, minimumRecall: 0.98);
    }

    /// <summary>Without a schema an unqualified column among several tables is reported as unresolved,
    /// never guessed: recall drops, precision must not.</summary>
    [Test]
    public void Without_a_schema_ambiguous_columns_are_left_unresolved_rather_than_guessed()
    {
        var corpus = SqlCorpus.Load();
        Measure(corpus, null, minimumPrecision: 0.99, minimumRecall: 0.85);
    }

    private static void Measure(SqlCorpus corpus, ISchemaLookup? schema, double minimumPrecision, double minimumRecall)
    {
        int truePositives = 0, reported = 0, expected = 0;
        var mismatches = new List<string>();
        foreach (var (sql, facts, line) in corpus.Entries)
        {
            var found = SqlCorpus.Facts(PgSqlAnalyzer.Analyze(sql, schema));
            truePositives += found.Count(facts.Contains);
            reported += found.Count;
            expected += facts.Count;
            var extra = found.Except(facts).ToList();
            var missed = facts.Except(found).ToList();
            if (extra.Count + missed.Count > 0)
            {
                mismatches.Add($"line {line}: extra [{string.Join(" ", extra)}] missed [{string.Join(" ", missed)}]");
            }
        }

        double precision = (double)truePositives / reported;
        double recall = (double)truePositives / expected;
        TestContext.Out.WriteLine($"statements {corpus.Entries.Count}, facts expected {expected}, reported {reported}, correct {truePositives}");
        TestContext.Out.WriteLine($"precision {precision:P2}, recall {recall:P2}");
        foreach (var mismatch in mismatches)
        {
            TestContext.Out.WriteLine(mismatch);
        }

        Assert.That(precision, Is.GreaterThanOrEqualTo(minimumPrecision), string.Join("\n", mismatches));
        Assert.That(recall, Is.GreaterThanOrEqualTo(minimumRecall), string.Join("\n", mismatches));
    }
}
