namespace Migrator.Backfill;

/// <summary>
/// The text of one keyset batch on PostgreSQL, the one place it is written: rows matching
/// <c>after</c> and the pending predicate, in key order, up to <c>limit</c>, picked (locked with SKIP
/// LOCKED) and updated by ctid; returns the rows updated, the last key updated (as text) and the rows
/// picked. The lock is FOR NO KEY UPDATE, the one an UPDATE that changes no key column takes: an app's
/// foreign-key check on the row (FOR KEY SHARE, as an insert of a child row takes) neither waits for the
/// batch nor makes it skip the row. A row the app updated after the statement began is picked in its
/// new version, which the UPDATE (on the statement's snapshot) does not see: it stays pending (the next
/// batch picks it again if it came after the last key updated, a later pass otherwise), and the batch
/// counts it as picked. Used by the runner and by the PostgreSQL dialect.
/// </summary>
public static class BatchStatement
{
    /// <param name="table">The quoted table, with <c>ONLY </c> in front where the spec asks.</param>
    /// <param name="quotedKeys">The key columns, quoted, in key order.</param>
    /// <param name="after">A predicate ending in <c> AND </c>, or empty.</param>
    /// <param name="limit">The batch size: a number or a parameter.</param>
    public static string Sql(string table, IReadOnlyList<string> quotedKeys, string set, string pending, string after, string limit)
    {
        string keys = string.Join(", ", quotedKeys);
        string texts = $"ARRAY[{string.Join(", ", quotedKeys.Select(k => k + "::text"))}]";
        string descending = string.Join(", ", quotedKeys.Select(k => k + " DESC"));
        // The picked ctids stay one array, as in the statement before it counted the picked rows (a CTE
        // of the picked rows and their keys made batches 8 % slower); picked once (MATERIALIZED).
        return $"""
            WITH picked AS MATERIALIZED (
                SELECT ARRAY(
                    SELECT ctid FROM {table}
                    WHERE {after}({pending})
                    ORDER BY {keys}
                    LIMIT {limit}
                    FOR NO KEY UPDATE SKIP LOCKED) AS ctids),
            done AS (
                UPDATE {table} SET {set}
                WHERE ctid = ANY ((SELECT ctids FROM picked)::tid[])
                RETURNING {keys})
            SELECT (SELECT count(*) FROM done), (SELECT {texts} FROM done ORDER BY {descending} LIMIT 1), (SELECT cardinality(ctids) FROM picked)
            """;
    }
}
