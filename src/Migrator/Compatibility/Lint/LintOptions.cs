using Migrator.Dialects;
using Migrator.Dialects.Postgres;

namespace Migrator.Compatibility.Lint;

/// <summary>How a plain .sql migration runs, for `lint`: what transaction wraps its statements, on which
/// PostgreSQL version, which rules to leave out, and what is known of the database.</summary>
public sealed record LintOptions
{
    /// <summary>none: each statement commits on its own, except between the file's own BEGIN and COMMIT
    /// (psql, DbUp and grate by default, squawk's assumption). file: the runner wraps the whole file in
    /// one transaction (Flyway, Atlas, EF Core's migration scripts with their BEGIN/COMMIT).</summary>
    public LintTransaction Transaction { get; init; } = LintTransaction.None;

    public int PgVersion { get; init; } = 15;

    public IReadOnlySet<string> Exclude { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The schema before the first file: from a connection, or empty (then only what the files
    /// themselves create is known).</summary>
    public VisibleSchema Schema { get; init; } = new();

    /// <summary>The engine the SQL is written for: it reads the statements and knows its own functions.</summary>
    public ISqlDialect Dialect { get; init; } = new PostgresDialect();

    /// <summary>Function volatility: the engine's own, and with a connection the database's (null: the dialect's).</summary>
    public Func<string, bool?>? Volatility { get; init; }
}

/// <summary>The transaction a runner wraps a plain migration in.</summary>
public enum LintTransaction
{
    None,
    File,
}
