namespace Migrator.Backfill;

/// <summary>
/// The cheaper form of a keyset batch on PostgreSQL, in two statements: the batch's upper key (the
/// <c>n</c>-th key after the checkpoint, or the last key there is when fewer remain), then one plain
/// UPDATE of the pending rows of that key range. It writes each row once, where the SKIP LOCKED form
/// (<see cref="BatchStatement"/>) writes it twice (the row lock, then the new version), and returns no
/// row per row updated (the count is the UPDATE's own). In a psql A/B at 1M rows it took 3.0–3.3 s
/// against the SKIP LOCKED form's 3.7–4.1 s and the single UPDATE's 3.0 s (docs/benchmarks.md). It
/// waits for a row the app holds, though: <see cref="BatchForm"/> says when it may run and with which
/// timeouts, and <see cref="Batch"/> redoes the batch in the SKIP LOCKED form when one runs out.
/// </summary>
public static class KeyRangeStatement
{
    /// <summary>The upper key as a text array and whether it is the <c>n</c>-th key (true) or the last one
    /// there is (false); no row when no key matches <paramref name="where"/>.</summary>
    /// <param name="table">The quoted table, with <c>ONLY </c> in front where the spec asks.</param>
    /// <param name="quotedKeys">The key columns, quoted, in key order.</param>
    /// <param name="where">Conditions on the key joined by <c>AND</c> (after the checkpoint, up to a
    /// worker's upper key), or empty.</param>
    /// <param name="skip">How many keys to skip: the batch size less one, a number or a parameter.</param>
    public static string Bound(string table, IReadOnlyList<string> quotedKeys, string where, string skip)
    {
        string keys = string.Join(", ", quotedKeys);
        string texts = $"ARRAY[{string.Join(", ", quotedKeys.Select(k => k + "::text"))}]";
        string descending = string.Join(", ", quotedKeys.Select(k => k + " DESC"));
        string filter = where.Length == 0 ? "" : " WHERE " + where;
        // The second branch runs only when the first finds no row (the LIMIT stops the Append).
        return $"""
            (SELECT {texts}, true FROM {table}{filter} ORDER BY {keys} OFFSET {skip} LIMIT 1)
            UNION ALL
            (SELECT {texts}, false FROM {table}{filter} ORDER BY {descending} LIMIT 1)
            LIMIT 1
            """;
    }

    /// <summary>The UPDATE of the pending rows whose key matches <paramref name="range"/> (after the
    /// checkpoint, up to the upper key).</summary>
    public static string Update(string table, string set, string pending, string range) =>
        $"UPDATE {table} SET {set} WHERE {range} AND ({pending})";
}
