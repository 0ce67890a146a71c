using System;
using System.Collections.Generic;
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
