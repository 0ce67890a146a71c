using System.Text.Json.Nodes;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Compatibility;
using Migrator.Tests.Infrastructure;
using Semver;

namespace Migrator.Tests.Safety;

/// <summary>
/// `plan --verify` only plans app SQL, never runs it. Regression for manifest SQL spliced into
/// `PREPARE … AS {sql}`, where "SELECT …; COMMIT; DROP TABLE order_lines; COMMIT" committed the phase
/// SQL with no ledger record and dropped the table.
/// </summary>
public sealed class HostileManifestTests : DatabaseTest
{
    private static readonly string[] Hostile =
    [
        "SELECT id FROM customers; COMMIT; DROP TABLE order_lines; COMMIT",
        "SELECT 1; ROLLBACK; DROP TABLE order_lines",
        "COMMIT",
        "ROLLBACK",
        "DROP TABLE order_lines",
        "SET ROLE nobody_here",
        "SET search_path = nowhere",
        "DO $$ BEGIN EXECUTE 'DROP TABLE order_lines'; END $$",
        "TRUNCATE order_lines",
        "DELETE FROM products",
        "SELECT 1; DO $$ BEGIN EXECUTE 'DROP TABLE order_lines'; END $$",
        "CREATE TABLE smuggled (id int)",
    ];

    [Test]
    public async Task Verify_plans_hostile_statements_without_running_any_of_them()
    {
        Assert.That((await Next("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ExecuteAsync("INSERT INTO products (sku, title, price_cents) SELECT 's' || g, 't' || g, g FROM generate_series(1, 50) g");
        var manifest = UsageManifest.Load(ShopManifests.V2);
        var template = manifest.Statements[0];
        var hostile = manifest with { Statements = [.. Hostile.Select(sql => template with { Sql = sql, Errors = [] })] };

        await using var connection = await DataSource.OpenConnectionAsync();
        var before = await SchemaSnapshot.ReadAsync(connection);
        string role = (await ScalarAsync<string>("SELECT current_user"))!;
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(
            ChangeCatalog.FromAssembly(typeof(Shop.Migrations.Changes.C0001_CreateShopSchema).Assembly), new SchemaModel());

        // Change 1 counts as expanded; the rename and the index are pending and applied in the rolled-back transaction.
        var findings = (await OnlineVerifier.VerifyAsync(connection, plans, p => p.Id == 202611230001 ? ChangeState.Contracted : ChangeState.Pending,
            [new AppVersionUsage(SemVersion.Parse("2.0.0"), hostile)], TimeSpan.FromSeconds(2), CancellationToken.None)).Findings;
        TestContext.Out.WriteLine(string.Join("\n", findings.Select(f => f.Message)));

        Assert.Multiple(async () =>
        {
            Assert.That(await SchemaSnapshot.ReadAsync(connection), Is.EqualTo(before), "nothing of the phases or the hostile SQL stayed");
            Assert.That(await ScalarAsync<bool>("SELECT to_regclass('public.order_lines') IS NOT NULL"), Is.True);
            Assert.That(await ScalarAsync<bool>("SELECT to_regclass('public.smuggled') IS NULL"), Is.True);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM products"), Is.EqualTo(50));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_prepared_statements"), Is.EqualTo(0));
            Assert.That(findings.Where(f => f.Message.Contains("cannot insert multiple commands", StringComparison.Ordinal)).Select(f => f.Sql).Distinct().Count(), Is.EqualTo(3),
                "PostgreSQL refuses each of the three multi-statement texts at Parse");
        });
        await using var check = DataSource.CreateCommand("SELECT current_user");
        Assert.That(await check.ExecuteScalarAsync(), Is.EqualTo(role));
        Assert.That((string?)await connection.ExecuteScalarAsyncText("SELECT current_setting('search_path')"), Does.Not.Contain("nowhere"));
    }

    [Test]
    public async Task A_manifest_entry_holding_several_statements_is_refused_when_loaded()
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(ShopManifests.V2))!;
        json["statements"]![0]!["sql"] = "SELECT id FROM customers; COMMIT; DROP TABLE order_lines; COMMIT";
        string path = Path.Combine(Path.GetTempPath(), $"hostile-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        try
        {
            var result = await Next("plan", "--usage", "2.0.0=" + path);
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(result.Error, Does.StartWith("error: ").And.Contain("holds 4 SQL statements"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Usage_extract_writes_one_entry_per_statement_of_a_multi_statement_call()
    {
        string app = Path.Combine(Path.GetTempPath(), $"multi-app-{Environment.ProcessId}");
        Directory.CreateDirectory(app);
        try
        {
            File.WriteAllText(Path.Combine(app, "Repo.cs"), """
                using System.Data;
                using Dapper;
                public static class Repo
                {
                    public static void Both(IDbConnection c) =>
                        c.QueryMultiple("SELECT id FROM customers WHERE id = @id; SELECT ';' AS semi, $$a;b$$ FROM orders -- ; not here\n;");
                }
                """);
            var manifest = UsageExtractor.Extract(app, "1.0.0");
            Assert.That(manifest.Statements.Select(s => s.Sql), Is.EqualTo(new[]
            {
                "SELECT id FROM customers WHERE id = @id",
                "SELECT ';' AS semi, $$a;b$$ FROM orders -- ; not here",
            }));
            Assert.That(manifest.Statements.All(s => s.Line == 6), Is.True);
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }

    private Task<CliResult> Next(params string[] args) => ShopManifests.NextAsync(ConnectionString, args);
}

internal static class ConnectionText
{
    public static async Task<object?> ExecuteScalarAsyncText(this Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
