namespace Migrator.Execution;

/// <summary>How DDL runs: lock_timeout per statement and retries with backoff and jitter, and a
/// statement_timeout per step.</summary>
public sealed record ExecutionOptions(TimeSpan LockTimeout, int LockRetries)
{
    public static ExecutionOptions Default { get; } = new(TimeSpan.FromMilliseconds(500), 10);

    /// <summary>How long a step may wait, in all, for an autovacuum worker that holds its table's lock
    /// and that this role may not cancel; those waits spend no retries.</summary>
    public TimeSpan AutovacuumWait { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The default statement_timeout of a transactional step that validates nothing: its DDL
    /// changes catalogs under a lock the app waits on, so it must be short or fail.</summary>
    public static readonly TimeSpan DdlStatementTimeout = TimeSpan.FromMinutes(1);

    /// <summary>statementTimeoutMs: when set, the statement_timeout of every step (0: none); when not, the
    /// default for each kind of step (<see cref="StatementTimeout"/>).</summary>
    public int? StatementTimeoutMs { get; init; }

    /// <summary>The statement_timeout a step runs with, or null for none. By default a transactional DDL
    /// step gets <see cref="DdlStatementTimeout"/>; a step that validates a constraint (it scans the table
    /// under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes) and a statement run alone
    /// (CREATE INDEX CONCURRENTLY and the like, which block no one and take as long as the table needs)
    /// get none. A configured value applies to every step.</summary>
    public TimeSpan? StatementTimeout(Dialects.PhaseStep step) => StatementTimeoutMs switch
    {
        0 => null,
        { } ms => TimeSpan.FromMilliseconds(ms),
        null when !step.Transactional => null,
        null when step.Statements.Any(s => s.Sql.Contains("VALIDATE CONSTRAINT", StringComparison.OrdinalIgnoreCase)) => null,
        null => DdlStatementTimeout,
    };

    /// <summary>Delay before retry <paramref name="attempt"/> (1-based): exponential from 100 ms,
    /// capped at 5 s, with full jitter so that several migrators never retry in step.</summary>
    public TimeSpan Backoff(int attempt)
    {
        double cap = Math.Min(5000, 100 * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2));
    }
}
