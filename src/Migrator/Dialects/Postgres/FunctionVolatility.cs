using Dapper;
using System.Data.Common;

namespace Migrator.Dialects.Postgres;

/// <summary>The volatility of the database's own functions (outside pg_catalog and information_schema:
/// the app's, and the extensions'), from pg_proc.provolatile; a name with a volatile overload counts as volatile.</summary>
public static class FunctionVolatility
{
    public static async Task<IReadOnlyDictionary<string, bool>> ReadAsync(DbConnection connection)
    {
        var rows = await connection.QueryAsync<(string Name, bool Volatile)>(
            """
            SELECT p.proname, bool_or(p.provolatile = 'v')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            GROUP BY p.proname
            """);
        return rows.ToDictionary(r => r.Name, r => r.Volatile, StringComparer.Ordinal);
    }
}
