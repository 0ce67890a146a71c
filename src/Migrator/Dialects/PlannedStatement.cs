namespace Migrator.Dialects;

/// <summary>
/// One statement of a phase.
/// </summary>
/// <param name="Sql">The SQL to run.</param>
/// <param name="Transactional">False for statements PostgreSQL refuses inside a transaction
/// (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM …): they run alone.</param>
/// <param name="IndexBuilt">For CREATE INDEX CONCURRENTLY: the (quoted, possibly qualified) index name,
/// so that the INVALID index a failed build leaves behind can be dropped before a retry.</param>
public sealed record PlannedStatement(string Sql, bool Transactional = true, string? IndexBuilt = null)
{
    /// <summary>A marker, not SQL: the statements before it commit, the ones after it start a new
    /// transaction (used so that a VALIDATE never shares a transaction with the ADD before it).</summary>
    public static readonly PlannedStatement Commit = new("-- commit") { IsBoundary = true };

    /// <summary>For a rollback statement that drops or renames back an object: that object. The
    /// statement runs only if the ledger proves this change created (or renamed) it; otherwise it is
    /// skipped and the object is kept.</summary>
    public OwnedObject? Guard { get; init; }

    /// <summary>For the statement that holds the views reading a column (<c>HeldViews.Hold</c>): that column,
    /// whose views and materialized views the contract recreates on the column replacing it.</summary>
    public (string Schema, string Table, string Column)? RecreatesViewsOf { get; init; }

    /// <summary>True for the <see cref="Commit"/> marker.</summary>
    public bool IsBoundary { get; private init; }

    /// <summary>A statement that must run outside any transaction.</summary>
    public static PlannedStatement Alone(string sql, string? indexBuilt = null) => new(sql, false, indexBuilt);

    /// <summary>This statement, run only when the ledger proves the change created <paramref name="owned"/>.</summary>
    public PlannedStatement Guarded(OwnedObject owned) => this with { Guard = owned };
}
