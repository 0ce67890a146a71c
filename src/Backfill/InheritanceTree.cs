namespace Migrator.Backfill;

/// <summary>A table and everything below it through pg_inherits (partitions at any depth and
/// inheritance children), as a CTE named <c>tree(oid)</c> over the parameter <c>@table</c>.</summary>
public static class InheritanceTree
{
    public const string Cte = """
        WITH RECURSIVE tree AS (
            SELECT to_regclass(@table)::oid AS oid
            UNION ALL
            SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid)
        """;
}
