namespace Migrator.Backfill;

/// <summary>
/// The text of one keyset batch on PostgreSQL, the one place it is written: rows matching
/// <c>after</c> and the pending predicate, in key order, up to <c>limit</c>, picked (locked with SKIP
/// LOCKED) and updated by ctid; returns the rows updated, the last key picked (as text) and the rows
/// picked. The lock is FOR NO KEY UPDATE, the one an UPDATE that changes no key column takes: an app's
/// foreign-key check on the row (FOR KEY SHARE, as an insert of a child row takes) neither waits for the
/// batch nor makes it skip the row. A row the app updated after the statement began is picked in its
/// new version, which the UPDATE (on the statement's snapshot) does not see: it is left pending for a
/// later pass, and the batch still covers it (it counts as picked). Used by the runner and by the
/// PostgreSQL dialect.
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
        // The picked rows' columns get names of the statement's own, which no table column can shadow.
        var picked = Enumerable.Range(1, quotedKeys.Count).Select(i => $"key_{i}").ToList();
        string texts = $"ARRAY[{string.Join(", ", picked.Select(k => k + "::text"))}]";
        string descending = string.Join(", ", picked.Select(k => k + " DESC"));
        return $"""
            WITH picked (row_ctid, {string.Join(", ", picked)}) AS (
                SELECT ctid, {keys} FROM {table}
                WHERE {after}({pending})
                ORDER BY {keys}
                LIMIT {limit}
                FOR NO KEY UPDATE SKIP LOCKED),
            done AS (
                UPDATE {table} SET {set}
                WHERE ctid = ANY (ARRAY(SELECT row_ctid FROM picked))
                RETURNING 1)
            SELECT (SELECT count(*) FROM done), (SELECT {texts} FROM picked ORDER BY {descending} LIMIT 1), (SELECT count(*) FROM picked)
            """;
    }
}
