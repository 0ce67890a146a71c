namespace Migrator.Backfill;

/// <summary>Why a key-range batch gave up and was redone in the SKIP LOCKED form (<see cref="BatchForm"/>).</summary>
public enum FallbackReason
{
    /// <summary>It waited on a row lock (or any lock) longer than <see cref="BatchForm.LockTimeout"/>: a row the app holds.</summary>
    LockTimeout,

    /// <summary>It ran longer than its statement_timeout, half of the server's deadlock_timeout.</summary>
    StatementTimeout,

    /// <summary>Its statement was cancelled by someone else (<c>pg_cancel_backend</c>).</summary>
    Canceled,
}
