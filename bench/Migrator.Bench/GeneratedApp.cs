namespace Migrator.Bench;

/// <summary>The generated app both the extraction and the build-time benches use: one repository per file,
/// four Dapper calls each over 20 tables (concatenated constants, interpolation, a raw string, a
/// CommandDefinition).</summary>
public static class GeneratedApp
{
    public static void WriteRepositories(string folder, int files)
    {
        File.WriteAllText(Path.Combine(folder, "Sql.cs"), "namespace App; public static class Sql { public const string Columns = \"id, c0\"; }");
        for (int i = 0; i < files; i++)
        {
            int t = i % 20;
            File.WriteAllText(Path.Combine(folder, $"Repo{i}.cs"), $$""""
                using System.Data;
                using Dapper;
                namespace App;
                public sealed record Row{{i}}(long Id, int? C0);
                public sealed class Repo{{i}}(IDbConnection db)
                {
                    private const string Table = "t{{t}}";
                    public Row{{i}}? Get(long id) => db.QuerySingleOrDefault<Row{{i}}>("SELECT " + Sql.Columns + " FROM " + Table + " WHERE id = @id", new { id });
                    public IEnumerable<Row{{i}}> Page(long after) => db.Query<Row{{i}}>($"SELECT {Sql.Columns} FROM {Table} WHERE id > @after ORDER BY id LIMIT 50", new { after });
                    public int Set(long id, int value) => db.Execute("""
                        UPDATE t{{t}} SET c0 = @value
                        WHERE id = @id
                        """, new { id, value });
                    public long Add(int value) => db.ExecuteScalar<long>(new CommandDefinition("INSERT INTO t{{t}} (c0) VALUES (@value) RETURNING id", new { value }));
                }
                """");
        }
    }
}
