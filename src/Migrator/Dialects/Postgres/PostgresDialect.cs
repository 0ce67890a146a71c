using System.Text.RegularExpressions;
using FluentMigrator.Expressions;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Conventions;
using FluentMigrator.Runner.Generators.Postgres;
using FluentMigrator.Runner.Processors.Postgres;
using Migrator.Dialects;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// PostgreSQL SQL generation. DDL for what FluentMigrator covers comes from FluentMigrator's own
/// Postgres15_0Generator; Migrator only adds what it does not (sync triggers, ledger, backfill).
/// </summary>
public sealed partial class PostgresDialect
{
    /// <summary>EF Core's PostgreSQL provider, the <c>ActiveProvider</c> an EF Core migration's
    /// operations are read with (docs/efcore.md).</summary>
    public const string EfCoreProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private readonly Postgres15_0Generator _generator = new(new PostgresQuoter(new PostgresOptions()));
    private readonly DefaultConventionSet _conventions = new();

    public PostgresDialect(string ledgerSchema = "migrator")
    {
        LedgerSchema = ledgerSchema;
    }

    /// <summary>Schema that holds the ledger and Migrator's trigger functions.</summary>
    public string LedgerSchema { get; }

    /// <summary>Turns one FluentMigrator expression into the statements that carry it out.</summary>
    public IReadOnlyList<PlannedStatement> Generate(IMigrationExpression expression)
    {
        expression = expression.Apply(_conventions);
        ExpressionNames.Check(expression);
        string sql = expression switch
        {
            ExecuteSqlStatementExpression e => e.SqlStatement,
            PerformDBOperationExpression => throw new MigratorException(ExitCodes.BadInput,
                "Execute.WithConnection is not supported in a change: its effect cannot be planned; use Execute.Sql"),
            _ => Dispatch(expression),
        };
        if (string.IsNullOrWhiteSpace(sql))
        {
            return [];
        }

        return expression is ExecuteSqlStatementExpression ? ClassifyScript(sql) : [Classify(sql.Trim())];
    }

    /// <summary>
    /// A raw SQL script as planned statements. One statement, or several that may all share a
    /// transaction, stay one planned statement (its text unchanged). When a statement PostgreSQL refuses
    /// inside a transaction (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM …) sits among
    /// others, it becomes a step of its own and the statements before and after it keep theirs: sent as
    /// one text, PostgreSQL would run them all in one implicit transaction and refuse it. BEGIN, COMMIT,
    /// ROLLBACK, SAVEPOINT and the like are refused: the steps are Migrator's transactions.
    /// </summary>
    public static IReadOnlyList<PlannedStatement> ClassifyScript(string sql)
    {
        var statements = Analyzers.Sql.PgStatements.Split(sql);
        foreach (string statement in statements)
        {
            if (Analyzers.Sql.PgStatements.Control(statement) != Analyzers.Sql.TransactionControl.None)
            {
                string first = statement.Split('\n')[0].Trim();
                throw new MigratorException(ExitCodes.BadInput,
                    $"raw SQL controls its own transaction ({(first.Length > 40 ? first[..40] + "…" : first)}): Migrator runs each step in a transaction it owns, and statements PostgreSQL refuses in one (CONCURRENTLY) alone; remove BEGIN/COMMIT/ROLLBACK/SAVEPOINT from the script");
            }
        }

        var classified = statements.Select(Classify).ToList();
        if (statements.Count <= 1 || classified.All(s => s.Transactional))
        {
            return [Classify(sql.Trim())];
        }

        var planned = new List<PlannedStatement>();
        var batch = new List<string>();
        foreach (var statement in classified)
        {
            if (statement.Transactional)
            {
                batch.Add(statement.Sql.TrimEnd(';') + ";");
                continue;
            }

            if (batch.Count > 0)
            {
                planned.Add(new PlannedStatement(string.Join("\n", batch)));
                batch.Clear();
            }

            planned.Add(statement);
        }

        if (batch.Count > 0)
        {
            planned.Add(new PlannedStatement(string.Join("\n", batch)));
        }

        return planned;
    }

    /// <summary>Marks statements PostgreSQL refuses inside a transaction, and names the index a
    /// concurrent build would leave INVALID if it failed.</summary>
    public static PlannedStatement Classify(string sql)
    {
        var create = CreateIndexConcurrently().Match(sql);
        if (create.Success)
        {
            string index = create.Groups["index"].Value;
            string? schema = create.Groups["schema"].Success ? create.Groups["schema"].Value : null;
            return PlannedStatement.Alone(sql, schema is null ? index : schema + "." + index);
        }

        return NonTransactional().IsMatch(sql) ? PlannedStatement.Alone(sql) : new PlannedStatement(sql);
    }

    private string Dispatch(IMigrationExpression expression)
    {
        try
        {
            return _generator.Generate((dynamic)expression);
        }
        catch (Microsoft.CSharp.RuntimeBinder.RuntimeBinderException)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"{expression.GetType().Name} has no PostgreSQL translation in FluentMigrator");
        }
    }

    // The index name and the schema of its table: FluentMigrator writes
    // CREATE [UNIQUE] INDEX CONCURRENTLY "name" ON "schema"."table" (...).
    [GeneratedRegex("""^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(IF\s+NOT\s+EXISTS\s+)?(?<index>"(?:[^"]|"")+"|\w+)\s+ON\s+(ONLY\s+)?((?<schema>"(?:[^"]|"")+"|\w+)\.)?""", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndexConcurrently();

    [GeneratedRegex(@"^\s*(DROP\s+INDEX\s+CONCURRENTLY|REINDEX\b.*\bCONCURRENTLY|VACUUM\b|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+SYSTEM|ALTER\s+TABLE\b.*\bDETACH\s+PARTITION\b.*\bCONCURRENTLY)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex NonTransactional();
}
