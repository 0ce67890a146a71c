using Migrator.Compatibility;

namespace Migrator.Bench;

/// <summary>
/// A generated app of the shapes real apps write (issue 16): Dapper called directly, Dapper behind a
/// shared wrapper that takes the SQL as a parameter (called with constants and with interpolated value
/// lists), HTTP-client and retry-policy <c>Execute</c> calls and a cache's <c>Query</c> that are not
/// Dapper, and a few statements whose table is known only at run time. Every generated call carries a
/// marker comment (<c>// real</c>, <c>// runtime</c>, <c>// decoy</c>), so what `usage extract` finds is
/// counted against what is there. The bench times it (<c>WrapperCorpusBench</c>); the tests link this
/// file and check the counts on a small app.
/// </summary>
public static class WrapperCorpus
{
    /// <summary>What a manifest found against the markers: real calls (SQL known at compile time) and
    /// how many were resolved, run-time SQL calls and how many are listed as unresolved, non-Dapper
    /// decoys and how many were reported, and entries at no marked call or real calls left unresolved.</summary>
    public sealed record Counts(int Real, int RealResolved, int Runtime, int RuntimeUnresolved, int Decoys, int DecoysReported, int Other);

    public static Counts Count(string app, UsageManifest manifest)
    {
        var markers = Markers(app);
        string Marker(string file, int line) => markers.GetValueOrDefault((file, line), "none");
        var foundLines = manifest.Statements.Select(s => (s.File, s.Line)).Distinct().ToList();
        return new Counts(
            markers.Values.Count(m => m == "real"),
            foundLines.Count(l => Marker(l.File, l.Line) == "real"),
            markers.Values.Count(m => m == "runtime"),
            manifest.Unresolved.Count(u => Marker(u.File, u.Line) == "runtime"),
            markers.Values.Count(m => m == "decoy"),
            foundLines.Count(l => Marker(l.File, l.Line) == "decoy") + manifest.Unresolved.Count(u => Marker(u.File, u.Line) == "decoy"),
            foundLines.Count(l => Marker(l.File, l.Line) == "none") + manifest.Unresolved.Count(u => Marker(u.File, u.Line) is "none" or "real"));
    }

    private static Dictionary<(string File, int Line), string> Markers(string app)
    {
        var markers = new Dictionary<(string, int), string>();
        foreach (string path in Directory.GetFiles(app, "*.cs"))
        {
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                int at = lines[i].LastIndexOf("// ", StringComparison.Ordinal);
                if (at >= 0 && lines[i][(at + 3)..].Trim() is "real" or "runtime" or "decoy")
                {
                    markers[(Path.GetFileName(path), i + 1)] = lines[i][(at + 3)..].Trim();
                }
            }
        }

        return markers;
    }

    public static void Write(string app, int files)
    {
        File.WriteAllText(Path.Combine(app, "App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        File.WriteAllText(Path.Combine(app, "Infrastructure.cs"), """
            using System.Data;
            using Dapper;
            namespace App;
            public sealed class Db(IDbConnection connection)
            {
                public Task<IEnumerable<T>> Many<T>(string sql, object? args = null) => connection.QueryAsync<T>(sql, args);
                public Task<T?> One<T>(string sql, object? args = null) => connection.QuerySingleOrDefaultAsync<T>(sql, args);
                public Task<int> Run(string sql, object? args = null) => Execute(sql, args);
                private Task<int> Execute(string text, object? args) => connection.ExecuteAsync(text, args);
            }
            public sealed class RestRequest(string resource) { public string Resource { get; } = resource; }
            public sealed class RestClient { public string Execute(RestRequest request) => request.Resource; }
            public sealed class RetryPolicy { public T Execute<T>(Func<T> action) => action(); }
            public sealed class Cache { public IEnumerable<string> Query(string key) => [key]; }
            """);
        for (int i = 0; i < files; i++)
        {
            int t = i % 40;
            string body = (i % 8) switch
            {
                0 or 4 => $$""""
                    public sealed class Repo{{i}}(IDbConnection db)
                    {
                        private const string Table = "t{{t}}";
                        public Row{{i}}? Get(long id) => db.QuerySingleOrDefault<Row{{i}}>("SELECT id, c0 FROM " + Table + " WHERE id = @id", new { id }); // real
                        public IEnumerable<Row{{i}}> Page(long after) => db.Query<Row{{i}}>($"SELECT id, c0 FROM {Table} WHERE id > @after ORDER BY id LIMIT 50", new { after }); // real
                        public int Set(long id, int value) => db.Execute("UPDATE t{{t}} SET c0 = @value WHERE id = @id", new { id, value }); // real
                        public long Add(int value) => db.ExecuteScalar<long>(new CommandDefinition("INSERT INTO t{{t}} (c0) VALUES (@value) RETURNING id", new { value })); // real
                    }
                    """",
                1 or 5 => $$""""
                    public sealed class Service{{i}}(Db db)
                    {
                        private const string Columns = "id, c0";
                        public Task<IEnumerable<Row{{i}}>> All() => db.Many<Row{{i}}>($"SELECT {Columns} FROM t{{t}}"); // real
                        public Task<IEnumerable<Row{{i}}>> Some(long[] ids) => db.Many<Row{{i}}>($"SELECT {Columns} FROM t{{t}} WHERE id IN ({string.Join(",", ids)})"); // real
                        public Task<Row{{i}}?> ById(long id) => db.One<Row{{i}}>("SELECT id, c0 FROM t{{t}} WHERE id = @id", new { id }); // real
                        public Task<int> Clear(long id) => db.Run("UPDATE t{{t}} SET c0 = NULL WHERE id = @id", new { id }); // real
                    }
                    """",
                2 or 6 => $$""""
                    public sealed class Client{{i}}(RestClient client, RetryPolicy policy, Cache cache, IDbConnection db)
                    {
                        public string Fetch() => client.Execute(new RestRequest("/orders/{{i}}")); // decoy
                        public int Retry() => policy.Execute(() => {{i}}); // decoy
                        public IEnumerable<string> Cached() => cache.Query("orders:{{i}}"); // decoy
                        public int Count() => db.ExecuteScalar<int>("SELECT count(*) FROM t{{t}}"); // real
                        public IEnumerable<Row{{i}}> Latest() => db.Query<Row{{i}}>("SELECT id, c0 FROM t{{t}} ORDER BY id DESC LIMIT 10"); // real
                    }
                    """",
                3 => $$""""
                    public sealed class Admin{{i}}(IDbConnection db, Db wrapped)
                    {
                        public int Purge(string table) => db.Execute("DELETE FROM " + table); // runtime
                        public int Touch(long id) => db.Execute("UPDATE t{{t}} SET c0 = c0 WHERE id = @id", new { id }); // real
                        public Task<int> Reset() => wrapped.Run("UPDATE t{{t}} SET c0 = 0"); // real
                        public IEnumerable<Row{{i}}> Old() => db.Query<Row{{i}}>("SELECT id, c0 FROM t{{t}} WHERE id < 100"); // real
                    }
                    """",
                _ => $$""""
                    public sealed class Report{{i}}(Db db)
                    {
                        public Task<IEnumerable<Row{{i}}>> Recent(int days) => db.Many<Row{{i}}>($"SELECT id, c0 FROM t{{t}} WHERE c0 > {days}"); // real
                        public Task<IEnumerable<Row{{i}}>> Sorted(string column) => db.Many<Row{{i}}>($"SELECT id, c0 FROM t{{t}} ORDER BY {column}"); // runtime
                        public Task<int> Mark(long id) => db.Run($"UPDATE t{{t}} SET c0 = 1 WHERE id = {id}"); // real
                    }
                    """",
            };
            File.WriteAllText(Path.Combine(app, $"F{i}.cs"), $"using System.Data;\nusing Dapper;\nnamespace App;\npublic sealed record Row{i}(long Id, int? C0);\n{body}\n");
        }
    }
}
