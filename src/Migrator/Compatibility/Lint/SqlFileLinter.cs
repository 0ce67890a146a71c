using System.Text.RegularExpressions;
using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;
using Migrator.Compatibility.HazardRules;
using Migrator.Dialects;

namespace Migrator.Compatibility.Lint;

/// <summary>
/// Runs every hazard rule on plain .sql migrations, in order: each file is one migration, its statements
/// grouped into the transactions the runner and the file's own BEGIN … COMMIT make (<see cref="LintOptions.Transaction"/>,
/// or a <c>-- migrator:transaction none|file</c> line in the file). What earlier files did is known to later
/// ones (tables they create exist, indexes they build cover columns, constraints they validated hold).
/// A <c>-- migrator-ignore MIG0021: reason</c> comment before a statement, or in it, silences that rule
/// there; <c>-- migrator-ignore-file MIG0001: reason</c> silences it in the whole file.
/// </summary>
public static partial class SqlFileLinter
{
    public static IReadOnlyList<LintFinding> Lint(IEnumerable<(string Path, string Text)> files, LintOptions options)
    {
        var findings = new List<LintFinding>();
        var schema = options.Schema.Clone();
        var earlier = new List<DdlEffect>();
        foreach (var (path, text) in files)
        {
            var statements = Statements(text, options.Dialect);
            var mode = Directive().Match(text) is { Success: true } m
                ? (m.Groups["mode"].Value.Equals("file", StringComparison.OrdinalIgnoreCase) ? LintTransaction.File : LintTransaction.None)
                : options.Transaction;
            var (steps, problems) = Group(statements, mode);
            var created = new HashSet<string>(StringComparer.Ordinal);
            foreach (var effect in statements.SelectMany(s => s.Effects).Where(e => e.Kind == DdlKind.CreateTable))
            {
                created.Add(VisibleSchema.Key(effect.Schema, effect.Table!));
            }

            var phase = new PhaseSql(null, Phase.Expand, steps, schema.Clone(), created)
            {
                PgVersion = options.PgVersion,
                SqlServer = options.Dialect.Provider == "sqlserver",
                Volatility = options.Volatility ?? options.Dialect.IsVolatile,
                Earlier = earlier.ToList(),
            };
            var raw = HazardCatalog.For(options.Dialect).SelectMany(rule => rule.Check(phase)).Concat(problems)
                .Concat(options.Dialect.Provider == "postgres" ? Unreadable(text) : UnreadableTSql(statements));
            var fileIgnores = FileIgnores(text);
            var inFile = new List<LintFinding>();
            List<int>? lines = null;
            foreach (var finding in raw.Where(f => !options.Exclude.Contains(f.RuleId) && !fileIgnores.Contains(f.RuleId)))
            {
                int offset = finding.Offset ?? 0;
                int at = StatementAt(statements, offset);
                if (at >= 0 && Ignored(text, statements, at).Contains(finding.RuleId))
                {
                    continue;
                }

                var (line, column) = Position(lines ??= LineStarts(text), offset);
                inFile.Add(new LintFinding(finding, path, line, column));
            }

            findings.AddRange(inFile.OrderBy(f => f.Line).ThenBy(f => f.Column));

            foreach (var effect in statements.SelectMany(s => s.Effects))
            {
                schema.Apply(effect);
                earlier.Add(effect);
            }
        }

        return findings;
    }

    /// <summary>One statement of a file: where it starts, its text, and what it does. <see cref="Block"/> is
    /// the offset of the DO block it was read from: a DO block runs as one statement, in one transaction.</summary>
    private sealed record Statement(int Offset, int Length, string Sql, List<DdlEffect> Effects, int? Block = null)
    {
        /// <summary>BEGIN / COMMIT as the dialect reads them: PostgreSQL's by their words, T-SQL's by the
        /// statement ScriptDom found (a BEGIN … END block is not a transaction).</summary>
        public TransactionControl Control { get; init; } = TransactionControl.None;

        /// <summary>The first word (the statement's text starts at its first token).</summary>
        public string Head => Regex.Match(Sql, "^[A-Za-z_]+").Value.ToLowerInvariant();
    }

    private static List<Statement> Statements(string text, ISqlDialect dialect)
    {
        var statements = new List<Statement>();
        var effects = dialect.ReadStatements(text)
            ?? throw new MigratorException(ExitCodes.BadInput, $"lint has no SQL reader for provider {dialect.Provider} yet (docs/sqlserver.md)");
        foreach (var group in effects.GroupBy(e => e.Offset))
        {
            var statement = new Statement(group.Key, group.First().Length, group.First().Sql, [.. group])
            {
                Control = dialect.Provider == "postgres"
                    ? PgStatements.Control(group.First().Sql)
                    : group.Any(e => e.Detail == Dialects.SqlServer.TSqlDdlReader.TransactionBegin) ? TransactionControl.Begin
                    : group.Any(e => e.Detail == Dialects.SqlServer.TSqlDdlReader.TransactionEnd) ? TransactionControl.End
                    : TransactionControl.None,
            };
            statements.AddRange(statement.Head == "do" ? InsideDo(statement, dialect) : [statement]);
        }

        return statements;
    }

    /// <summary>
    /// The SQL statements inside a DO block's body, at their places in the file. `dotnet ef migrations script
    /// --idempotent` wraps every migration's DDL in <c>DO $EF$ BEGIN IF NOT EXISTS(…) THEN … END IF; END $EF$;</c>,
    /// so a linter that stopped at the DO would see nothing. PL/pgSQL control lines (BEGIN, IF … THEN, ELSE,
    /// END IF, END) are blanked, keeping every offset; the rest is read as SQL.
    /// </summary>
    private static IEnumerable<Statement> InsideDo(Statement block, ISqlDialect dialect)
    {
        var body = DollarBody().Match(block.Sql);
        if (!body.Success)
        {
            return [block];
        }

        string code = Control().Replace(body.Groups["body"].Value, m => new string(' ', m.Length));
        int start = block.Offset + body.Groups["body"].Index;
        var inner = (dialect.ReadStatements(code) ?? []).Where(e => e.Kind != DdlKind.Other).GroupBy(e => e.Offset)
            .Select(g => new Statement(start + g.Key, g.First().Length, g.First().Sql, [.. g.Select(e => Moved(e, start))], block.Offset) { Control = PgStatements.Control(g.First().Sql) })
            .ToList();
        return inner.Count == 0 ? [block] : inner;
    }

    private static DdlEffect Moved(DdlEffect effect, int by)
    {
        effect.Offset += by;
        return effect;
    }

    private static bool Begins(Statement s) => s.Control == TransactionControl.Begin;

    private static bool Ends(Statement s) => s.Control == TransactionControl.End;

    /// <summary>The file's statements as steps (transactions, or one statement alone), and what is wrong with
    /// its transaction control (a BEGIN never committed, or one inside another).</summary>
    private static (List<SqlStep> Steps, List<Finding> Problems) Group(List<Statement> statements, LintTransaction mode)
    {
        var steps = new List<SqlStep>();
        var problems = new List<Finding>();
        if (mode == LintTransaction.File)
        {
            var all = new SqlStep(inTransaction: true);
            all.AddRange(statements.Where(s => !Begins(s) && !Ends(s)).Select(s => (s.Sql, s.Effects)));
            steps.Add(all);
            return (steps, problems);
        }

        SqlStep? open = null;
        Statement? opener = null;
        SqlStep? doBlock = null;
        int? doOffset = null;
        foreach (var statement in statements)
        {
            if (open is null && statement.Block is { } block)
            {
                // A DO block is one statement: what it runs shares one transaction.
                if (doOffset != block)
                {
                    doBlock = new SqlStep(inTransaction: true);
                    doOffset = block;
                    steps.Add(doBlock);
                }

                doBlock!.Add((statement.Sql, statement.Effects));
                continue;
            }

            doOffset = null;
            if (Begins(statement))
            {
                if (open is not null)
                {
                    problems.Add(Problem(statement, "BEGIN inside a transaction the file already opened: PostgreSQL ignores it with a warning, so the first COMMIT ends both"));
                    continue;
                }

                open = new SqlStep(inTransaction: true);
                opener = statement;
                continue;
            }

            if (Ends(statement))
            {
                if (open is not null)
                {
                    steps.Add(open);
                }

                open = null;
                continue;
            }

            if (open is not null)
            {
                open.Add((statement.Sql, statement.Effects));
                continue;
            }

            var alone = new SqlStep(inTransaction: false) { (statement.Sql, statement.Effects) };
            steps.Add(alone);
        }

        if (open is not null)
        {
            steps.Add(open);
            problems.Add(Problem(opener!, "opens a transaction the file never commits: the runner's session ends it, and most runners roll it back"));
        }

        return (steps, problems);
    }

    /// <summary>A file the tokenizer cannot read to its end (an unterminated string, quoted identifier or
    /// dollar-quoted body): nothing in it was checked, which must not pass for "no hazard".</summary>
    private static IEnumerable<Finding> Unreadable(string text)
    {
        var tokens = PgTokenizer.Instance.TryTokenize(text);
        if (!tokens.HasValue)
        {
            yield return new Finding(RuleIds.RawSql, Severity.Warning,
                $"cannot read the SQL from here ({tokens.FormatErrorMessageFragment()}): an unterminated string, quoted identifier or dollar-quoted body; no statement of this file was checked")
            {
                Offset = tokens.ErrorPosition.HasValue ? tokens.ErrorPosition.Absolute : 0,
            };
        }
    }

    /// <summary>A T-SQL text ScriptDom could not read: nothing in it was checked.</summary>
    private static IEnumerable<Finding> UnreadableTSql(List<Statement> statements) =>
        statements.SelectMany(s => s.Effects)
            .Where(e => e.Detail?.StartsWith(Dialects.SqlServer.TSqlDdlReader.Unreadable, StringComparison.Ordinal) == true)
            .Select(e => new Finding(RuleIds.RawSql, Severity.Warning, $"cannot read the T-SQL ({e.Detail}); no statement of this file was checked") { Offset = 0 });

    private static Finding Problem(Statement statement, string message) =>
        new(RuleIds.NotRerunnable, Severity.Warning, message) { Sql = statement.Sql, Offset = statement.Offset };

    /// <summary>The rules a <c>migrator-ignore</c> comment silences for a statement: comments between the
    /// previous statement and this one, and comments inside it.</summary>
    private static HashSet<string> Ignored(string text, List<Statement> statements, int index)
    {
        var statement = statements[index];
        int from = index == 0 ? 0 : statements[index - 1].Offset + statements[index - 1].Length;
        int to = Math.Min(text.Length, statement.Offset + statement.Length);
        // A comment after the statement's semicolon on its last line belongs to it too.
        int lineEnd = text.IndexOf('\n', to);
        to = lineEnd < 0 ? text.Length : lineEnd;
        return Ids(IgnoreComment().Matches(text[from..to]));
    }

    /// <summary>The index of the last statement starting at or before <paramref name="offset"/> (statements are
    /// in file order), or -1: a binary search, so a file of thousands of statements stays linear.</summary>
    private static int StatementAt(List<Statement> statements, int offset)
    {
        int low = 0, high = statements.Count - 1, found = -1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (statements[middle].Offset <= offset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private static HashSet<string> FileIgnores(string text) => Ids(IgnoreFileComment().Matches(text));

    private static HashSet<string> Ids(MatchCollection matches) =>
        matches.SelectMany(m => m.Groups["ids"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Select(id => id.ToUpperInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where each line of a text starts, for <see cref="Position"/>.</summary>
    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    /// <summary>1-based line and column of an offset (a binary search over the line starts).</summary>
    private static (int Line, int Column) Position(List<int> lineStarts, int offset)
    {
        int index = lineStarts.BinarySearch(offset);
        int line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - lineStarts[line] + 1);
    }

    [GeneratedRegex(@"\$(?<tag>[A-Za-z_]\w*|)\$(?<body>[\s\S]*)\$\k<tag>\$")]
    private static partial Regex DollarBody();

    [GeneratedRegex(@"(?im)^[ \t]*((BEGIN|ELSE|END\s+IF|END\s+LOOP|END|DECLARE)[ \t]*;?|(IF|ELSIF)\b.*\bTHEN)[ \t]*$")]
    private static partial Regex Control();

    [GeneratedRegex(@"--\s*migrator:transaction\s+(?<mode>none|file)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Directive();

    [GeneratedRegex(@"--\s*migrator-ignore\s+(?<ids>MIG\d{4}(\s*,\s*MIG\d{4})*)", RegexOptions.IgnoreCase)]
    private static partial Regex IgnoreComment();

    [GeneratedRegex(@"--\s*migrator-ignore-file\s+(?<ids>MIG\d{4}(\s*,\s*MIG\d{4})*)", RegexOptions.IgnoreCase)]
    private static partial Regex IgnoreFileComment();
}
