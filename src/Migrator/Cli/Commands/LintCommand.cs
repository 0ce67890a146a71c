using System.CommandLine;
using System.Text.RegularExpressions;
using Migrator.Dialects;
using Migrator.Compatibility;
using Migrator.Compatibility.Lint;
using Migrator.Dialects.Postgres;
using Migrator.Reports;

namespace Migrator.Cli.Commands;

/// <summary>`lint PATH…`: every hazard rule on plain .sql migrations (files, folders of them in name
/// order, or - for standard input). Needs no database; with a connection it also knows the live schema
/// and the database's own functions.</summary>
public static partial class LintCommand
{
    private static readonly Argument<string[]> Paths = new("paths")
    {
        Description = ".sql files, folders (every .sql file under them, in natural name order: V2 before V10), or - for standard input",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<string> Format = CreateFormat();

    private static readonly Option<string?> Transaction = CreateTransaction();

    private static readonly Option<int?> PgVersion = new Option<int?>("--pg-version")
    {
        Description = "PostgreSQL major version the migrations run on (default 15; the config's pgVersion)",
    }.Between(9, 18);

    private static readonly Option<string[]> Exclude = new("--exclude")
    {
        Description = "Rule ids to leave out (repeatable, or comma-separated); added to the config's lintExclude",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string> FailOn = CreateFailOn();

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format") { Description = "text, json, sarif, or github (workflow annotations)", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "json", "sarif", "github");
        return option;
    }

    private static Option<string?> CreateTransaction()
    {
        var option = new Option<string?>("--transaction")
        {
            Description = "How the runner executes each file: none (each statement commits, except the file's own BEGIN … COMMIT: psql, DbUp, grate) or file (one transaction per file: Flyway, Atlas). Default: the config's lintTransaction, else none",
        };
        option.AcceptOnlyFromAmong("none", "file");
        return option;
    }

    private static Option<string> CreateFailOn()
    {
        var option = new Option<string>("--fail-on") { Description = "Lowest severity that makes the exit code 1: error, warning (default) or note", DefaultValueFactory = _ => "warning" };
        option.AcceptOnlyFromAmong("error", "warning", "note");
        return option;
    }

    public static Command Create(CliContext cli)
    {
        var command = new Command("lint", "Check plain .sql migrations (DbUp, Flyway, grate, EF Core scripts, hand-written) with every hazard rule (no database needed)")
        {
            Paths, Format, ReportOptions.Output, Transaction, PgVersion, Exclude, FailOn,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            ReportOptions.CheckOutput(parse);
            var config = MigratorConfig.Load(parse.GetValue(CommonOptions.Config));
            config.ApplyFlags(null, null, null, null, parse.GetValue(CommonOptions.RuleDocsUrl), parse.GetValue(CommonOptions.Provider));
            ISqlDialect dialect = config.Provider == "sqlserver" ? new Dialects.SqlServer.SqlServerDialect() : new PostgresDialect(config.LedgerSchema);

            var exclude = (config.LintExclude ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Concat((parse.GetValue(Exclude) ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (string id in exclude.Where(id => !Analyzers.RuleInfo.All.Any(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase))))
            {
                throw new MigratorException(ExitCodes.BadInput, $"--exclude {id}: no such rule (docs/rules/README.md lists them)");
            }

            var files = Read(parse.GetValue(Paths) ?? [], cli);
            var options = new LintOptions
            {
                Transaction = (parse.GetValue(Transaction) ?? config.LintTransaction) == "file" ? LintTransaction.File : LintTransaction.None,
                PgVersion = parse.GetValue(PgVersion) ?? config.PgVersion,
                Exclude = exclude,
                Dialect = dialect,
            };

            if (CliSession.ConnectionStringOf(parse, config) is { } connection)
            {
                if (dialect.Provider != "postgres")
                {
                    throw new MigratorException(ExitCodes.BadInput, $"lint --connection: reading a {dialect.Provider} catalog is not built yet; lint T-SQL without a connection (docs/sqlserver.md)");
                }

                // With a database: its tables and columns are the schema before the first file, and its own
                // functions' volatility decides defaults that call them. Only catalogs are read.
                await using var source = PostgresConnector.CreateDataSource(connection);
                await using var open = await PostgresConnector.OpenAsync(source, cancellation);
                var functions = await FunctionVolatility.ReadAsync(open);
                options = options with
                {
                    Schema = await VisibleSchema.ReadAsync(open, config.LedgerSchema),
                    Volatility = name => functions.TryGetValue(name, out bool v) ? v : dialect.IsVolatile(name),
                };
            }

            var findings = SqlFileLinter.Lint(files, options);
            string report = LintReport.Render(findings, files.Count, parse.GetValue(Format) ?? "text", config.RuleDocsUrl);
            if (parse.GetValue(ReportOptions.Output) is { } path)
            {
                await File.WriteAllTextAsync(path, report + Environment.NewLine, cancellation);
                cli.Line(LintReport.Summary(findings, files.Count));
            }
            else
            {
                cli.Data(report);
            }

            var threshold = parse.GetValue(FailOn) switch { "error" => Severity.Error, "note" => Severity.Info, _ => Severity.Warning };
            return findings.Any(f => f.Severity >= threshold) ? ExitCodes.Unsafe : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The files to lint, in order, with the names findings give them (as the user wrote the path).</summary>
    private static List<(string Path, string Text)> Read(IReadOnlyList<string> paths, CliContext cli)
    {
        var files = new List<(string Path, string Text)>();
        foreach (string path in paths)
        {
            if (path == "-")
            {
                files.Add(("<stdin>", cli.Input.ReadToEnd()));
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*.sql", SearchOption.AllDirectories)
                    .Select(f => Path.Combine(path, Path.GetRelativePath(path, f)))
                    .OrderBy(f => NaturalKey(Path.GetRelativePath(path, f)), StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new MigratorException(ExitCodes.BadInput, $"{path}: no .sql file in this folder");
                }

                files.AddRange(found.Select(f => (f, File.ReadAllText(f))));
            }
            else if (File.Exists(path))
            {
                files.Add((path, File.ReadAllText(path)));
            }
            else
            {
                throw new MigratorException(ExitCodes.BadInput, $"{path}: no such file or folder");
            }
        }

        return files;
    }

    /// <summary>A sort key in which numbers compare by value (V2__a.sql before V10__b.sql), as Flyway orders versions.</summary>
    private static string NaturalKey(string name) =>
        Digits().Replace(name.Replace('\\', '/').ToLowerInvariant(), m => m.Value.TrimStart('0').PadLeft(20, '0'));

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
