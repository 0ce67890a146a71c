using Dapper;
using Migrator.Dialects;
using System.Data.Common;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// Stable identities of the objects in a database, from pg_catalog: a relation, constraint, trigger,
/// function or schema by its oid, a column by its table's oid and its attnum (PostgreSQL never reuses
/// an attnum in a table). Comparing the identities before and after a step, inside the step's
/// transaction, tells exactly which objects the step created and which it renamed; a rollback later
/// resolves the object it is about to drop to its identity and drops it only if the ledger recorded
/// that identity for the change.
/// </summary>
public static class CatalogIdentity
{
    private const string UserSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

    /// <summary>Every user object's identity, with its own name and a description for messages. With
    /// <paramref name="writtenByThisTransaction"/>, only objects whose catalog row this transaction
    /// wrote (created or changed, e.g. renamed): the read after a step's statements, while the step
    /// holds its locks, then returns a handful of rows whatever the size of the schema.</summary>
    public static async Task<Dictionary<string, (string Name, string Description)>> ReadAsync(DbConnection connection, DbTransaction? transaction, bool writtenByThisTransaction = false)
    {
        string mine(string alias) => writtenByThisTransaction ? $" AND {alias}.xmin = pg_current_xact_id()::xid" : "";
        var rows = await connection.QueryAsync<(string Identity, string Name, string Description)>(
            $"""
            SELECT 'rel:' || c.oid, c.relname::text, 'relation ' || n.nspname || '.' || c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserSchemas}{mine("c")}
            UNION ALL
            SELECT 'col:' || a.attrelid || ':' || a.attnum, a.attname::text, 'column ' || n.nspname || '.' || c.relname || '.' || a.attname
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {UserSchemas}{mine("a")}
            UNION ALL
            SELECT 'con:' || o.oid, o.conname::text, 'constraint ' || o.conname || ' on ' || n.nspname || '.' || c.relname
            FROM pg_constraint o JOIN pg_class c ON c.oid = o.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserSchemas}{mine("o")}
            UNION ALL
            SELECT 'trg:' || t.oid, t.tgname::text, 'trigger ' || t.tgname || ' on ' || n.nspname || '.' || c.relname
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND {UserSchemas}{mine("t")}
            UNION ALL
            SELECT 'fn:' || p.oid, p.proname::text, 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {UserSchemas}{mine("p")}
            UNION ALL
            SELECT 'nsp:' || n.oid, n.nspname::text, 'schema ' || n.nspname FROM pg_namespace n WHERE {UserSchemas}{mine("n")}
            """,
            transaction: transaction);
        var identities = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (identity, name, description) in rows)
        {
            identities[identity] = (name, description);
        }

        return identities;
    }

    /// <summary>What a step did to the objects it touched: the identities it created, and those it
    /// renamed (same identity, another name), with a description of each as it is after the step.</summary>
    public static IEnumerable<(string Identity, string How, string Description)> Diff(
        IReadOnlyDictionary<string, (string Name, string Description)> before,
        IReadOnlyDictionary<string, (string Name, string Description)> after)
    {
        foreach (var (identity, now) in after)
        {
            if (!before.TryGetValue(identity, out var was))
            {
                yield return (identity, "created", now.Description);
            }
            else if (was.Name != now.Name)
            {
                yield return (identity, "renamed", now.Description);
            }
        }
    }

    /// <summary>The key under which an index build in progress is recorded before it starts.</summary>
    public static string Building(string qualifiedIndex) => "building:" + qualifiedIndex;

    /// <summary>The identity the object has now, or null when no such object exists.</summary>
    public static Task<string?> ResolveAsync(DbConnection connection, DbTransaction? transaction, OwnedObject owned)
    {
        string relation = PgSql.Qualified(owned.Schema, owned.Table ?? owned.Name);
        string sql = owned.Kind switch
        {
            OwnedObjectKind.Relation => "SELECT 'rel:' || to_regclass(@relation)::oid",
            OwnedObjectKind.Column => "SELECT 'col:' || attrelid || ':' || attnum FROM pg_attribute WHERE attrelid = to_regclass(@relation) AND attname = @name AND attnum > 0 AND NOT attisdropped",
            OwnedObjectKind.Constraint => "SELECT 'con:' || oid FROM pg_constraint WHERE conrelid = to_regclass(@relation) AND conname = @name",
            OwnedObjectKind.Trigger => "SELECT 'trg:' || oid FROM pg_trigger WHERE tgrelid = to_regclass(@relation) AND tgname = @name",
            OwnedObjectKind.Function => "SELECT 'fn:' || to_regprocedure(@function)::oid",
            _ => "SELECT 'nsp:' || oid FROM pg_namespace WHERE nspname = @name",
        };
        return connection.ExecuteScalarAsync<string?>(
            sql,
            new { relation, name = owned.Name, function = PgSql.Qualified(owned.Schema, owned.Name) + "()" },
            transaction);
    }
}
