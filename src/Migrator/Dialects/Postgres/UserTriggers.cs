using Dapper;
using Migrator.Backfill;
using System.Data.Common;

namespace Migrator.Dialects.Postgres;

/// <summary>The table's own row triggers that fire on UPDATE (not Migrator's, not internal ones such
/// as foreign-key checks, not disabled), on the table and on its partitions.</summary>
public static class UserTriggers
{
    public static async Task<IReadOnlyList<(string Name, bool Always)>> OnUpdateAsync(DbConnection connection, BackfillSpec spec)
    {
        var rows = await connection.QueryAsync<(string Name, bool Always)>(
            $"""
            {InheritanceTree.Cte}
            SELECT DISTINCT t.tgname::text, t.tgenabled = 'A'
            FROM pg_trigger t JOIN tree ON tree.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'
              AND (t.tgtype & 1) = 1   -- FOR EACH ROW
              AND (t.tgtype & 16) = 16 -- ON UPDATE
            """,
            new { table = PgSql.Qualified(spec.Schema, spec.Table) });
        return [.. rows.Where(r => !r.Name.StartsWith("migrator_", StringComparison.Ordinal)).Distinct().OrderBy(r => r.Name, StringComparer.Ordinal)];
    }
}
