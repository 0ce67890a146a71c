using Migrator.Analyzers.Sql;

namespace Migrator.Analyzers.Tests.Sql;

/// <summary>pg-corpus.sql read into statements with their hand-written expected facts, and the schema
/// the analyser may consult.</summary>
public sealed class SqlCorpus : ISchemaLookup
{
    private readonly Dictionary<string, HashSet<string>> _tables = new(StringComparer.Ordinal);

    public List<(string Sql, HashSet<string> Expected, int Line)> Entries { get; } = [];

    public static SqlCorpus Load()
    {
        var corpus = new SqlCorpus();
        var lines = File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Sql", "pg-corpus.sql"));
        var statement = new List<string>();
        int start = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("schema ", StringComparison.Ordinal))
            {
                int open = line.IndexOf('(');
                string table = line[7..open].Trim();
                corpus._tables[table] = [.. line[(open + 1)..line.LastIndexOf(')')].Split(',', StringSplitOptions.TrimEntries)];
            }
            else if (line.StartsWith("=>", StringComparison.Ordinal))
            {
                corpus.Entries.Add((string.Join("\n", statement), [.. line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries)], start + 1));
                statement.Clear();
            }
            else if (statement.Count > 0 || (line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal)))
            {
                if (statement.Count == 0)
                {
                    start = i;
                }

                statement.Add(line);
            }
        }

        return corpus;
    }

    public bool? HasColumn(string? schema, string table, string column)
    {
        string key = schema is null or "public" ? table : schema + "." + table;
        return _tables.TryGetValue(key, out var columns) ? columns.Contains(column) : null;
    }

    /// <summary>The analysis as facts in the corpus notation.</summary>
    public static HashSet<string> Facts(SqlAnalysis analysis)
    {
        var facts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in analysis.Tables)
        {
            facts.Add((table.Written ? "T:" : "t:") + table);
        }

        foreach (var column in analysis.Columns)
        {
            string table = column.Schema is null ? column.Table : column.Schema + "." + column.Table;
            facts.Add((column.Access == ColumnAccess.Write ? "w:" : "r:") + table + "." + column.Column);
        }

        foreach (var table in analysis.StarTables)
        {
            facts.Add("*:" + table);
        }

        return facts;
    }
}
