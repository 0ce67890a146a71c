using System;
using System.Collections.Generic;
using System.Linq;
using Migrator.Analyzers.Sql;

namespace Migrator.Analyzers.Usage
{
    /// <summary>
    /// The schema app code may use, as `dotnet migrator plan --schema-file migrator-schema.txt` writes it for
    /// the analyzers (given to the app project as an AdditionalFiles item). One line per table:
    /// <c>table public.customers id name! email email_address</c> (a <c>!</c> marks NOT NULL without a default),
    /// and one per object a pending contract removes:
    /// <c>remove 202611230002 public.customers.email email_address</c> (change id, column, replacement if any) or
    /// <c>remove 202611230009 public.legacy</c> for a table.
    /// </summary>
    public sealed class AppSchema : ISchemaLookup
    {
        public const string FileName = "migrator-schema.txt";

        private readonly Dictionary<string, Dictionary<string, bool>> _tables = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);

        public Dictionary<string, (string ChangeId, string? Replacement)> Removals { get; } = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);

        public static string Key(string? schema, string table) => (string.IsNullOrEmpty(schema) ? "public" : schema) + "." + table;

        public static AppSchema Parse(string text)
        {
            var schema = new AppSchema();
            foreach (string raw in text.Split('\n'))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] parts = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts[0] == "table" && parts.Length >= 2)
                {
                    var columns = new Dictionary<string, bool>(StringComparer.Ordinal);
                    for (int i = 2; i < parts.Length; i++)
                    {
                        bool required = parts[i].EndsWith("!", StringComparison.Ordinal);
                        columns[required ? parts[i].Substring(0, parts[i].Length - 1) : parts[i]] = required;
                    }

                    schema._tables[parts[1]] = columns;
                }
                else if (parts[0] == "remove" && parts.Length >= 3)
                {
                    schema.Removals[parts[2]] = (parts[1], parts.Length > 3 ? parts[3] : null);
                }
            }

            return schema;
        }

        public bool HasTable(string? schema, string table) => _tables.ContainsKey(Key(schema, table));

        /// <summary>
        /// A relation of PostgreSQL's own catalogs: in pg_catalog, information_schema or another pg_
        /// schema (pg_toast, pg_temp_n), or unqualified and named like pg_catalog's relations (pg_class,
        /// pg_stat_activity: pg_catalog is searched first). Those are never the app's tables to check.
        /// An unqualified name only counts when it is one PostgreSQL has: pg_ followed by a known stem.
        /// </summary>
        public static bool IsSystem(string? schema, string table)
        {
            if (schema is not null)
            {
                return schema == "information_schema" || schema.StartsWith("pg_", System.StringComparison.Ordinal);
            }

            return table.StartsWith("pg_", System.StringComparison.Ordinal) && SystemStems.Any(s => table.StartsWith(s, System.StringComparison.Ordinal));
        }

        // pg_catalog's relations all start with one of these (PostgreSQL 15's system catalogs and views).
        private static readonly string[] SystemStems =
        {
            "pg_stat", "pg_statio", "pg_class", "pg_namespace", "pg_attribute", "pg_attrdef", "pg_index", "pg_constraint",
            "pg_type", "pg_proc", "pg_trigger", "pg_depend", "pg_description", "pg_locks", "pg_settings", "pg_database",
            "pg_roles", "pg_user", "pg_authid", "pg_auth_members", "pg_tables", "pg_views", "pg_matviews", "pg_indexes",
            "pg_sequence", "pg_extension", "pg_enum", "pg_inherits", "pg_partitioned_table", "pg_publication", "pg_subscription",
            "pg_replication", "pg_prepared", "pg_cursors", "pg_available", "pg_timezone", "pg_am", "pg_opclass", "pg_operator",
            "pg_collation", "pg_event_trigger", "pg_policy", "pg_policies", "pg_rules", "pg_rewrite", "pg_seclabel", "pg_shdepend",
            "pg_tablespace", "pg_foreign", "pg_user_mapping", "pg_language", "pg_largeobject", "pg_cast", "pg_conversion",
            "pg_default_acl", "pg_init_privs", "pg_aggregate", "pg_backend_memory_contexts", "pg_file_settings", "pg_hba_file_rules",
            "pg_ident_file_mappings", "pg_shmem_allocations", "pg_config", "pg_group", "pg_shadow", "pg_sequences",
        };

        public bool? HasColumn(string? schema, string table, string column) =>
            _tables.TryGetValue(Key(schema, table), out var columns) ? columns.ContainsKey(column) : (bool?)null;

        /// <summary>NOT NULL columns without a default of a table.</summary>
        public IEnumerable<string> Required(string? schema, string table)
        {
            if (_tables.TryGetValue(Key(schema, table), out var columns))
            {
                foreach (var pair in columns)
                {
                    if (pair.Value)
                    {
                        yield return pair.Key;
                    }
                }
            }
        }
    }
}
