using Dapper;
using System.Data.Common;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// The live schema of a database as comparable text, one line per object: tables and views, columns
/// (type, nullability, default), constraints, indexes, triggers, and functions in the ledger schema.
/// Used to prove a rollback leaves the schema exactly as before, and to compare a database with
/// another. The ledger's own tables are left out.
/// </summary>
public static class SchemaSnapshot
{
    public static async Task<IReadOnlyList<string>> ReadAsync(DbConnection connection, string ledgerSchema = "migrator")
    {
        var lines = await connection.QueryAsync<string>(
            """
            WITH rels AS (
                SELECT c.oid, n.nspname, c.relname, c.relkind
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'v', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', @ledger)
                  AND n.nspname NOT LIKE 'pg_toast%')
            SELECT 'relation ' || nspname || '.' || relname || ' kind ' || relkind::text FROM rels
            UNION ALL
            SELECT 'column ' || r.nspname || '.' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                   || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                   || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
                   || ' #' || (SELECT count(*)::text FROM pg_attribute b WHERE b.attrelid = a.attrelid AND b.attnum > 0 AND NOT b.attisdropped AND b.attnum <= a.attnum)
            FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            UNION ALL
            SELECT 'constraint ' || r.nspname || '.' || r.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
                   || CASE WHEN con.convalidated THEN '' ELSE ' (not validated)' END
            FROM rels r JOIN pg_constraint con ON con.conrelid = r.oid
            UNION ALL
            SELECT 'index ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END
            FROM rels r JOIN pg_index i ON i.indrelid = r.oid
            UNION ALL
            SELECT 'trigger ' || r.nspname || '.' || r.relname || ' ' || t.tgname
            FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
            UNION ALL
            SELECT 'view ' || r.nspname || '.' || r.relname || ' ' || pg_get_viewdef(r.oid)
            FROM rels r WHERE r.relkind = 'v'
            UNION ALL
            SELECT 'function ' || n.nspname || '.' || p.proname
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = @ledger
            ORDER BY 1
            """,
            new { ledger = ledgerSchema });
        return [.. lines];
    }
}
