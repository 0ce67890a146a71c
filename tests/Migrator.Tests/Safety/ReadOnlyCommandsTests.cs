using Migrator.Tests.Infrastructure;
using Npgsql;
using Shop.Seed;

namespace Migrator.Tests.Safety;

/// <summary>
/// `plan` with a connection, `status`, `gate` and `deploy list` only read: they work for a role with
/// nothing but SELECT and USAGE, create no ledger, write no history, and answer while a backfill (or
/// any migrator) holds the ledger lock.
/// </summary>
public sealed class ReadOnlyCommandsTests : DatabaseTest
{
    private const string Role = "migrator_reader";
    private const string RolePassword = "reader-secret-1";

    [Test]
    public async Task Read_only_commands_on_a_database_without_a_ledger_create_nothing()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE");
        foreach (string[] command in Commands)
        {
            var result = await CliRunner.ShopAsync(ConnectionString, command);
            Assert.That(result.ExitCode, Is.AnyOf(0, 1), string.Join(' ', command) + "\n" + result);
            Assert.That(result.Error, Does.Not.Contain("error:"), string.Join(' ', command) + "\n" + result);
        }

        Assert.That(await ScalarAsync<bool>("SELECT to_regnamespace('migrator') IS NULL"), Is.True, "no ledger was created");
    }

    [Test]
    public async Task Read_only_commands_work_for_a_role_with_only_select_and_usage_and_while_the_ledger_lock_is_held()
    {
        Assert.That((await Cli(ConnectionString, "expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 500);
        Assert.That((await Cli(ConnectionString, "expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli(ConnectionString, "deploy", "register", "1.0.0")).ExitCode, Is.EqualTo(0));
        await ExecuteAsync($"""
            DROP ROLE IF EXISTS {Role};
            CREATE ROLE {Role} LOGIN PASSWORD '{RolePassword}';
            GRANT USAGE ON SCHEMA migrator, public TO {Role};
            GRANT SELECT ON ALL TABLES IN SCHEMA migrator, public TO {Role};
            """);
        long history = await ScalarAsync<long>("SELECT count(*) FROM migrator.history");
        var reader = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = Role, Password = RolePassword }.ConnectionString;

        // A backfill holds the ledger lock shared, and another migrator holds it exclusively: neither
        // keeps a reader from answering.
        foreach (string function in new[] { "pg_advisory_lock_shared", "pg_advisory_lock" })
        {
            await using var holder = await OpenUnpooledAsync();
            await using (var take = new NpgsqlCommand($"SELECT {function}(hashtextextended('migrator ledger ' || 'migrator', 0))", holder))
            {
                await take.ExecuteNonQueryAsync();
            }

            foreach (string[] command in Commands)
            {
                var result = await Cli(reader, [.. command, "--lock-wait", "0"]);
                Assert.That(result.ExitCode, Is.AnyOf(0, 1), $"{function}: {string.Join(' ', command)}\n{result}");
                Assert.That(result.Error, Does.Not.Contain("error:"), $"{function}: {string.Join(' ', command)}\n{result}");
            }
        }

        var status = await Cli(reader, "status");
        Assert.That(status.Output, Does.Contain("202611230002").And.Contain("expanded"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.history"), Is.EqualTo(history), "read-only commands write no history");
    }

    [Test]
    public async Task Status_shows_backfill_progress_while_the_backfill_holds_the_lock()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        Assert.That((await Cli(ConnectionString, "expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 3000);
        Assert.That((await Cli(ConnectionString, "expand")).ExitCode, Is.EqualTo(0));

        // A backfill that is part-way: its batches ran, its phase is running, and it holds the lock.
        await ExecuteAsync("""
            INSERT INTO migrator.phases (change_id, phase, status, checksum) VALUES (202611230002, 'backfill', 'running', 'x');
            INSERT INTO migrator.backfill_checkpoints (change_id, table_name, last_key, rows_done, passes) VALUES (202611230002, 'public.customers', '1234', 1234, 1);
            """);
        await using var holder = await OpenUnpooledAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock_shared(hashtextextended('migrator ledger ' || 'migrator', 0))", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var status = await Cli(ConnectionString, "status", "--lock-wait", "0");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Output, Does.Contain("running").And.Contain("1,234 rows"));
    }

    private static readonly string[][] Commands =
    [
        ["status"],
        ["plan"],
        ["gate", "--to", "2.0.0"],
        ["deploy", "list"],
    ];

    private static Task<CliResult> Cli(string connectionString, params string[] args) => CliRunner.ShopAsync(connectionString, args);
}
