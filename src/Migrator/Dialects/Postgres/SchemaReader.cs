using Dapper;
using Migrator.Schema;
using System.Data.Common;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// Reads a live database's schema from pg_catalog into a <see cref="DatabaseSchema"/>: every schema but
/// the system ones and the ledger's, and nothing an extension owns. One query per kind of object, in
/// one REPEATABLE READ transaction so the parts agree with each other.
/// </summary>
public static class SchemaReader
{
    /// <summary>The relations, types and functions considered: user schemas, no extension members.</summary>
    private const string UserNamespace = """
        n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
        AND n.nspname <> @ledger
        """;

    private const string NotExtension = "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = {0} AND e.deptype = 'e')";

    public static async Task<DatabaseSchema> ReadAsync(DbConnection connection, string ledgerSchema, CancellationToken cancellation = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        var args = new { ledger = ledgerSchema };
        var schemas = await connection.QueryAsync<string>(
            $"SELECT n.nspname FROM pg_namespace n WHERE {UserNamespace} AND {string.Format(NotExtension, "n.oid")} ORDER BY 1", args, transaction);
        var extensions = await connection.QueryAsync<ExtensionInfo>(
            "SELECT x.extname AS Name, n.nspname AS Schema, x.extversion AS Version FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql' ORDER BY 1",
            transaction: transaction);
        var types = await ReadTypesAsync(connection, transaction, args);
        var sequences = await connection.QueryAsync<SequenceInfo>(
            $"""
            SELECT n.nspname AS Schema, c.relname AS Name, format_type(s.seqtypid, NULL) AS Type, s.seqstart AS Start, s.seqincrement AS Increment,
                   s.seqmin AS Min, s.seqmax AS Max, s.seqcycle AS Cycle,
                   (SELECT tn.nspname || '.' || t.relname || '.' || a.attname FROM pg_depend d
                      JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a') AS OwnedBy
            FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserNamespace} AND {string.Format(NotExtension, "c.oid")}
              AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')
            ORDER BY 1, 2
            """, args, transaction);
        var tables = await ReadTablesAsync(connection, transaction, args);
        var views = await ReadViewsAsync(connection, transaction, args);
        var functions = await connection.QueryAsync<FunctionInfo>(
            $"""
            SELECT n.nspname AS Schema, p.proname AS Name, pg_get_function_identity_arguments(p.oid) AS Arguments,
                   CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'window' END AS Kind,
                   CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END AS Definition
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE {UserNamespace} AND {string.Format(NotExtension, "p.oid")}
              AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')
            ORDER BY 1, 2, 3
            """, args, transaction);
        string? efThrough = await EfCoreMigrationsThroughAsync(connection, transaction, tables);
        await transaction.CommitAsync(cancellation);
        return new DatabaseSchema
        {
            EfCoreMigrationsThrough = efThrough,
            Schemas = [.. schemas],
            Extensions = [.. extensions],
            Types = types,
            Sequences = [.. sequences],
            Tables = tables,
            Views = views,
            Functions = [.. functions],
        };
    }

    /// <summary>The newest migration EF Core's history table lists (<c>__EFMigrationsHistory</c>, in any
    /// schema; several: the newest of all), or null when the database has none.</summary>
    private static async Task<string?> EfCoreMigrationsThroughAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TableInfo> tables)
    {
        string? newest = null;
        foreach (var history in tables.Where(t => t.Name == "__EFMigrationsHistory" && t.Columns.Any(c => c.Name == "MigrationId")))
        {
            string? last = await connection.ExecuteScalarAsync<string?>(
                $"SELECT max(\"MigrationId\" COLLATE \"C\") FROM {PgSql.Ident(history.Schema)}.{PgSql.Ident(history.Name)}", transaction: transaction);
            if (last is not null && (newest is null || string.CompareOrdinal(last, newest) > 0))
            {
                newest = last;
            }
        }

        return newest;
    }

    private static async Task<IReadOnlyList<TypeInfo>> ReadTypesAsync(DbConnection connection, DbTransaction transaction, object args)
    {
        var rows = await connection.QueryAsync<(string Schema, string Name, string Kind, string[]? Labels, string? Definition)>(
            $"""
            SELECT n.nspname, t.typname,
                   CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range' ELSE 'composite' END,
                   CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder) END,
                   CASE t.typtype
                     WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                          || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                          || coalesce(' DEFAULT ' || t.typdefault, '')
                          || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
                                       FROM pg_constraint k WHERE k.contypid = t.oid), '')
                     WHEN 'r' THEN 'subtype ' || format_type((SELECT rngsubtype FROM pg_range WHERE rngtypid = t.oid), NULL)
                     WHEN 'c' THEN '(' || (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                           FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) || ')'
                   END
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE {UserNamespace} AND {string.Format(NotExtension, "t.oid")}
              AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
            ORDER BY 1, 2
            """, args, transaction);
        return [.. rows.Select(r => new TypeInfo(r.Schema, r.Name, r.Kind, r.Labels, r.Definition))];
    }

    private static async Task<IReadOnlyList<TableInfo>> ReadTablesAsync(DbConnection connection, DbTransaction transaction, object args)
    {
        string tablesCte = $"""
            WITH rels AS (
                SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND {UserNamespace} AND {string.Format(NotExtension, "c.oid")})
            """;
        var tables = (await connection.QueryAsync<(long Oid, string Schema, string Name, string Kind, string? Parent, string? Bound, string? Key, string[] Inherits, string? Comment)>(
            $"""
            {tablesCte}
            SELECT c.oid::bigint, r.nspname, r.relname, CASE c.relkind WHEN 'p' THEN 'partitioned' ELSE 'table' END,
                   CASE WHEN c.relispartition THEN (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) END,
                   CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                   CASE WHEN c.relispartition THEN ARRAY[]::text[] ELSE ARRAY(SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) END,
                   obj_description(c.oid, 'pg_class')
            FROM rels r JOIN pg_class c ON c.oid = r.oid
            ORDER BY 2, 3
            """, args, transaction)).ToList();
        var columns = (await connection.QueryAsync<(long Rel, string Name, string Type, bool NotNull, string? Default, string? Identity, string? Generated, string? Collation, string? Comment)>(
            $"""
            {tablesCte}
            SELECT a.attrelid::bigint, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                   CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
                   CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                   CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END,
                   col_description(a.attrelid, a.attnum)
            FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            ORDER BY a.attrelid, a.attnum
            """, args, transaction)).ToLookup(c => c.Rel);
        var constraints = (await connection.QueryAsync<(long Rel, string Name, string Type, string Definition, bool Validated, string[] Columns)>(
            $"""
            {tablesCte}
            SELECT k.conrelid::bigint, k.conname,
                   CASE k.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'u' THEN 'unique' WHEN 'x' THEN 'exclusion' WHEN 'p' THEN 'primary key' ELSE k.contype::text END,
                   pg_get_constraintdef(k.oid), k.convalidated,
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)
            FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
            ORDER BY k.conrelid, k.conname
            """, args, transaction)).ToLookup(c => c.Rel);
        var indexes = (await connection.QueryAsync<(long Rel, string Name, string Definition, bool Valid, bool Unique)>(
            $"""
            {tablesCte}
            SELECT i.indrelid::bigint, ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisunique
            FROM rels r JOIN pg_index i ON i.indrelid = r.oid JOIN pg_class ic ON ic.oid = i.indexrelid
            ORDER BY i.indrelid, ic.relname
            """, args, transaction)).ToLookup(i => i.Rel);
        var triggers = (await connection.QueryAsync<(long Rel, string Name, string Definition, string Enabled, string Function)>(
            $"""
            {tablesCte}
            SELECT t.tgrelid::bigint, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled::text, t.tgfoid::regprocedure::text
            FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
            ORDER BY t.tgrelid, t.tgname
            """, args, transaction)).ToLookup(t => t.Rel);
        return
        [
            .. tables.Select(t =>
            {
                var primary = constraints[t.Oid].FirstOrDefault(k => k.Type == "primary key");
                return new TableInfo
                {
                    Schema = t.Schema,
                    Name = t.Name,
                    Kind = t.Kind,
                    PartitionOf = t.Parent,
                    PartitionBound = t.Bound,
                    PartitionKey = t.Key,
                    Inherits = t.Inherits,
                    Columns = [.. columns[t.Oid].Select(c => new ColumnInfo(c.Name, c.Type, c.NotNull, c.Default, c.Identity, c.Generated, c.Collation, c.Comment))],
                    PrimaryKey = primary.Name is null ? null : new KeyInfo(primary.Name, primary.Columns),
                    Constraints = [.. constraints[t.Oid].Select(k => new ConstraintInfo(k.Name, k.Type, k.Definition, k.Validated))],
                    Indexes = [.. indexes[t.Oid].Select(i => new IndexInfo(i.Name, i.Definition, i.Valid, i.Unique))],
                    Triggers = [.. triggers[t.Oid].Select(g => new TriggerInfo(g.Name, g.Definition, g.Enabled, g.Function))],
                    Comment = t.Comment,
                };
            }),
        ];
    }

    private static async Task<IReadOnlyList<ViewInfo>> ReadViewsAsync(DbConnection connection, DbTransaction transaction, object args)
    {
        var rows = await connection.QueryAsync<(long Oid, string Schema, string Name, bool Materialized, string Definition, string[] DependsOn, string? Comment)>(
            $"""
            SELECT c.oid::bigint, n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid),
                   ARRAY(SELECT DISTINCT dn.nspname || '.' || dc.relname FROM pg_rewrite w
                         JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
                         JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                         WHERE w.ev_class = c.oid ORDER BY 1),
                   obj_description(c.oid, 'pg_class')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND {UserNamespace} AND {string.Format(NotExtension, "c.oid")}
            ORDER BY 1, 2
            """, args, transaction);
        var indexes = (await connection.QueryAsync<(long Rel, string Name, string Definition, bool Valid, bool Unique)>(
            $"""
            SELECT i.indrelid::bigint, ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisunique
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid AND c.relkind = 'm' JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE {UserNamespace}
            ORDER BY i.indrelid, ic.relname
            """, args, transaction)).ToLookup(i => i.Rel);
        return [.. rows.Select(r => new ViewInfo(r.Schema, r.Name, r.Materialized, r.Definition, r.DependsOn, r.Comment)
        {
            Indexes = [.. indexes[r.Oid].Select(i => new IndexInfo(i.Name, i.Definition, i.Valid, i.Unique))],
        })];
    }
}
