using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Lint;

/// <summary>`lint` with a connection: the live schema is the schema before the first file, and the
/// database's own functions' pg_proc volatility decides defaults that call them.</summary>
public sealed class LintDatabaseTests : DatabaseTest
{
    private string _file = "";

    [SetUp]
    public async Task Prepare()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS customers; DROP FUNCTION IF EXISTS stable_code(); DROP FUNCTION IF EXISTS volatile_code();
            CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(40), region text);
            CREATE FUNCTION stable_code() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'A' $$;
            CREATE FUNCTION volatile_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;
            """);
        _file = Path.Combine(Path.GetTempPath(), $"migrator-lint-db-{Guid.NewGuid():N}.sql");
    }

    [TearDown]
    public void Delete() => File.Delete(_file);

    private async Task<CliResult> LintAsync(string sql, bool connect)
    {
        await File.WriteAllTextAsync(_file, "SET lock_timeout = '1s';\n" + sql);
        return connect
            ? await CliRunner.RunAsync("lint", _file, "--connection", ConnectionString)
            : await CliRunner.RunAsync("lint", _file);
    }

    [Test]
    public async Task A_stable_function_of_the_database_is_no_rewrite_and_a_volatile_one_is()
    {
        string stable = "ALTER TABLE customers ADD COLUMN code text DEFAULT stable_code();\n";
        var offline = await LintAsync(stable, connect: false);
        Assert.That(offline.Output, Does.Contain("error MIG0011: adds customers.code with a default calling stable_code(), a function PostgreSQL does not define"));

        var online = await LintAsync(stable, connect: true);
        Assert.That(online.ExitCode, Is.EqualTo(0), online.ToString());

        var volatileDefault = await LintAsync("ALTER TABLE customers ADD COLUMN code text DEFAULT volatile_code();\n", connect: true);
        Assert.That(volatileDefault.Output, Does.Contain("error MIG0011: adds customers.code with a default calling the volatile function volatile_code()"));
    }

    [Test]
    public async Task The_live_column_types_decide_type_changes()
    {
        var widen = await LintAsync("ALTER TABLE customers ALTER COLUMN name TYPE varchar(100);\n", connect: true);
        Assert.That(widen.ExitCode, Is.EqualTo(0), widen.ToString());

        var narrow = await LintAsync("ALTER TABLE customers ALTER COLUMN name TYPE varchar(10);\n", connect: true);
        Assert.That(narrow.Output, Does.Contain("error MIG0007: changes customers.name from character varying(40) to varchar(10) in place"));

        // Offline the source type is unknown: a change to int is still an error.
        var offline = await LintAsync("ALTER TABLE customers ALTER COLUMN region TYPE int USING 0;\n", connect: false);
        Assert.That(offline.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public async Task The_statements_lint_reports_are_what_PostgreSQL_does()
    {
        // The facts behind two rules, on the real server: widening varchar keeps the table's file
        // (no rewrite); a volatile default gives it a new one (rewrite).
        long before = await ScalarAsync<long>("SELECT pg_relation_filenode('customers')::bigint");
        await ExecuteAsync("ALTER TABLE customers ALTER COLUMN name TYPE varchar(100)");
        Assert.That(await ScalarAsync<long>("SELECT pg_relation_filenode('customers')::bigint"), Is.EqualTo(before));
        await ExecuteAsync("ALTER TABLE customers ADD COLUMN stamp text DEFAULT stable_code()");
        Assert.That(await ScalarAsync<long>("SELECT pg_relation_filenode('customers')::bigint"), Is.EqualTo(before));
        await ExecuteAsync("ALTER TABLE customers ADD COLUMN code text DEFAULT volatile_code()");
        Assert.That(await ScalarAsync<long>("SELECT pg_relation_filenode('customers')::bigint"), Is.Not.EqualTo(before));
    }

    [TestCase("SET timezone = 'UTC'; ALTER TABLE facts ALTER COLUMN at TYPE timestamptz", false)]
    [TestCase("SET timezone = 'Europe/Paris'; ALTER TABLE facts ALTER COLUMN at TYPE timestamptz", true)]
    [TestCase("ALTER TABLE facts ALTER COLUMN amount TYPE numeric(14,2)", false)]
    [TestCase("ALTER TABLE facts ALTER COLUMN amount TYPE numeric(12,4)", true)]
    [TestCase("ALTER TABLE facts ALTER COLUMN name TYPE text", false)]
    [TestCase("ALTER TABLE facts ALTER COLUMN note TYPE varchar(100)", true)]
    public async Task Lint_flags_a_type_change_exactly_when_PostgreSQL_rewrites(string sql, bool rewrites)
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS facts;
            CREATE TABLE facts (id int, at timestamp, amount numeric(10,2), name varchar(40), note text);
            INSERT INTO facts SELECT g, now(), g, 'n', 't' FROM generate_series(1, 100) g;
            """);
        var lint = await LintAsync(sql + ";\n", connect: true);
        Assert.That(lint.Output.Contains("error MIG0007", StringComparison.Ordinal), Is.EqualTo(rewrites), lint.ToString());

        await using var connection = await OpenUnpooledAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT pg_relation_filenode('facts')::bigint", connection);
        long before = (long)(await command.ExecuteScalarAsync())!;
        await using (var alter = new Npgsql.NpgsqlCommand(sql, connection))
        {
            await alter.ExecuteNonQueryAsync();
        }

        Assert.That((long)(await command.ExecuteScalarAsync())! != before, Is.EqualTo(rewrites), "PostgreSQL's own answer");
    }
}
