using System;
using System.Collections.Generic;
using System.IO;

namespace Migrator.Analyzers.Sql
{
    /// <summary>
    /// What PostgreSQL says of its own functions: the volatility of every pg_catalog function of
    /// PostgreSQL 15 (the strictest of its overloads), read from pg_proc into PgBuiltinFunctions.txt. A
    /// column added with a default that calls only stable or immutable functions is a catalog change on
    /// PostgreSQL 11 and later; a volatile call rewrites every row.
    /// </summary>
    public static class PgFunctions
    {
        // Functions of common extensions (uuid-ossp, pgcrypto): not in pg_catalog, known volatile.
        private static readonly string[] ExtensionVolatile =
        {
            "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "gen_random_bytes", "gen_salt",
        };

        private static readonly Lazy<Dictionary<string, char>> Volatility = new Lazy<Dictionary<string, char>>(Load);

        /// <summary>True for a volatile function, false for a stable or immutable one, null for a name
        /// PostgreSQL does not define (a user's or an extension's function).</summary>
        public static bool? IsVolatile(string name)
        {
            string key = name.ToLowerInvariant();
            if (Array.IndexOf(ExtensionVolatile, key) >= 0)
            {
                return true;
            }

            return Volatility.Value.TryGetValue(key, out char v) ? v == 'v' : (bool?)null;
        }

        private static Dictionary<string, char> Load()
        {
            var map = new Dictionary<string, char>(StringComparer.Ordinal);
            using (var stream = typeof(PgFunctions).Assembly.GetManifestResourceStream("Migrator.Analyzers.Sql.PgBuiltinFunctions.txt"))
            using (var reader = new StreamReader(stream!))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    int space = line.IndexOf(' ');
                    if (space > 0)
                    {
                        map[line.Substring(0, space)] = line[space + 1];
                    }
                }
            }

            return map;
        }
    }
}
