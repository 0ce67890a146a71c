namespace Migrator.Analyzers.Tests.Rules;

public class DapperSchemaTests
{
    private const string Schema = """
        # migrator schema v1
        table public.customers id name! email email_address created_at
        table public.orders id customer_id! placed_at status
        remove 202611230002 public.customers.email email_address
        """;

    [Test]
    public Task Queries_using_a_column_a_pending_contract_removes_name_the_change_and_the_replacement() =>
        Verifier.AnalyzeAsync<DapperSchemaAnalyzer>("""
            using System.Data;
            using Dapper;
            public class Repo(IDbConnection db)
            {
                public string? Email(long id) => db.QuerySingle<string>({|MIG0111:"SELECT email FROM customers WHERE id = @id"|}, new { id });
                public string? Address(long id) => db.QuerySingle<string>("SELECT email_address FROM customers WHERE id = @id", new { id });
            }
            """, Schema);

    [Test]
    public Task Unknown_tables_and_columns_and_inserts_omitting_required_columns_are_flagged() =>
        Verifier.AnalyzeAsync<DapperSchemaAnalyzer>("""
            using System.Data;
            using Dapper;
            public class Repo(IDbConnection db)
            {
                public int Typo(long id) => db.Execute({|MIG0110:"UPDATE customers SET nmae = 'x' WHERE id = @id"|}, new { id });
                public int Gone() => db.Execute({|MIG0110:"DELETE FROM carts"|});
                public long Add(string email) => db.ExecuteScalar<long>({|MIG0102:"INSERT INTO customers (email_address) VALUES (@email) RETURNING id"|}, new { email });
                public long AddOk(string name, string email) => db.ExecuteScalar<long>("INSERT INTO customers (name, email_address) VALUES (@name, @email) RETURNING id", new { name, email });
            }
            """, Schema);

    [Test]
    public Task Aliases_joins_and_constants_from_another_file_are_followed() =>
        Verifier.AnalyzeAsync<DapperSchemaAnalyzer>("""
            using System.Data;
            using Dapper;
            public static class Sql
            {
                public const string Join = " FROM orders o JOIN customers c ON c.id = o.customer_id";
            }
            public class Repo(IDbConnection db)
            {
                public int Count() => db.ExecuteScalar<int>("SELECT count(*)" + Sql.Join);
                public string First() => db.QueryFirst<string>({|MIG0111:"SELECT c.email" + Sql.Join|});
            }
            """, Schema);

    /// <summary>System catalogs are PostgreSQL's, not the app's: never "unknown" (issue 19: MIG0110 on
    /// pg_stat_activity and information_schema.columns broke warnings-as-errors builds). An unknown
    /// table in the app's own schema still is.</summary>
    [Test]
    public Task System_catalogs_and_schemas_are_never_unknown() =>
        Verifier.AnalyzeAsync<DapperSchemaAnalyzer>("""
            using System.Data;
            using Dapper;
            public class Repo(IDbConnection db)
            {
                public int Sessions() => db.ExecuteScalar<int>("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'");
                public string[] Columns(string t) => db.Query<string>("SELECT column_name FROM information_schema.columns WHERE table_name = @t", new { t }).AsList().ToArray();
                public long Size() => db.ExecuteScalar<long>("SELECT c.reltuples FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'customers'");
                public int Gone() => db.Execute({|MIG0110:"DELETE FROM pg_like_but_mine"|});
            }
            """, Schema);

    [Test]
    public Task Without_the_schema_file_nothing_is_reported() =>
        Verifier.AnalyzeAsync<DapperSchemaAnalyzer>("""
            using System.Data;
            using Dapper;
            public class Repo(IDbConnection db)
            {
                public int Gone() => db.Execute("DELETE FROM carts");
            }
            """);
}
