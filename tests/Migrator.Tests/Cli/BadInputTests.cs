using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Cli;

/// <summary>Bad input: one line on stderr, the documented exit code, no stack trace, and the
/// database exactly as it was.</summary>
public sealed class BadInputTests : DatabaseTest
{
    private string _workDir = "";

    [OneTimeSetUp]
    public async Task PrepareAsync()
    {
        _workDir = Directory.CreateTempSubdirectory("migrator-bad-input-").FullName;
        var expand = await CliRunner.ShopAsync(ConnectionString, "expand");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "deploy", "register", "1.0.0")).ExitCode, Is.EqualTo(0));
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_workDir, recursive: true);

    [Test]
    public async Task Missing_config_file_exits_2()
    {
        var result = await CliRunner.RunAsync("plan", "--config", Path.Combine(_workDir, "nope.json"));
        AssertOneLineError(result, 2, "config file not found");
    }

    [Test]
    public async Task Malformed_config_exits_2_naming_the_line()
    {
        string file = Path.Combine(_workDir, "broken.json");
        await File.WriteAllTextAsync(file, "{\n  \"migrations\": \"x.dll\",\n  \"lockTimeoutMs\": \"soon\"\n}");
        var result = await CliRunner.RunAsync("plan", "--config", file);
        AssertOneLineError(result, 2, "broken.json is not valid (line 3)");
    }

    [Test]
    public async Task Unknown_config_key_exits_2()
    {
        string file = Path.Combine(_workDir, "typo.json");
        await File.WriteAllTextAsync(file, "{ \"migration\": \"x.dll\" }");
        var result = await CliRunner.RunAsync("plan", "--config", file);
        AssertOneLineError(result, 2, "typo.json is not valid");
    }

    [TestCase("frobnicate")]
    [TestCase("plan", "--no-such-option")]
    public async Task Unknown_command_or_option_exits_2(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        AssertOneLineError(result, 2, "error:");
    }

    [TestCase("2.0")]
    [TestCase("v2.0.0")]
    [TestCase("latest")]
    public async Task App_version_that_is_not_semver_exits_2_and_registers_nothing(string version)
    {
        string before = await SnapshotAsync();
        var result = await CliRunner.ShopAsync(ConnectionString, "deploy", "register", version);
        AssertOneLineError(result, 2, "is not a SemVer version");
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Unknown_change_id_exits_2()
    {
        string before = await SnapshotAsync();
        var result = await CliRunner.ShopAsync(ConnectionString, "contract", "--change", "42");
        AssertOneLineError(result, 2, "unknown change id 42");
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Assembly_without_changes_exits_2()
    {
        var result = await CliRunner.RunAsync("plan", "--migrations", typeof(Shop.App.V1.Customer).Assembly.Location);
        AssertOneLineError(result, 2, "no changes found in Shop.App.V1");
    }

    [Test]
    public async Task Missing_migrations_exits_2()
    {
        var result = await CliRunner.RunAsync("plan", "--migrations", Path.Combine(_workDir, "Missing.dll"));
        AssertOneLineError(result, 2, "migrations not found");
    }

    [Test]
    public async Task Unreachable_server_exits_4()
    {
        var result = await CliRunner.ShopAsync("Host=127.0.0.1;Port=1;Username=x;Password=hunter2;Timeout=3", "status");
        AssertOneLineError(result, 4, "cannot connect to 127.0.0.1:1");
        Assert.That(result.Error + result.Output, Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Wrong_password_exits_4_without_printing_it()
    {
        string wrong = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "not-the-password-xyz" }.ConnectionString;
        var result = await CliRunner.ShopAsync(wrong, "status");
        AssertOneLineError(result, 4, "password authentication failed");
        Assert.That(result.Error + result.Output, Does.Not.Contain("not-the-password-xyz"));
    }

    [Test]
    public async Task Malformed_connection_string_exits_2()
    {
        var result = await CliRunner.ShopAsync("Host=127.0.0.1;Bogus Keyword=1", "status");
        AssertOneLineError(result, 2, "connection string is malformed");
    }

    [Test]
    public async Task Contract_while_an_older_version_is_live_exits_1_and_changes_nothing()
    {
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "backfill")).ExitCode, Is.EqualTo(0));
        string before = await SnapshotAsync();
        var result = await CliRunner.ShopAsync(ConnectionString, "contract", "--change", "202611230002");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("would break live version(s) 1.0.0"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Negative_batch_size_exits_2()
    {
        var result = await CliRunner.ShopAsync(ConnectionString, "backfill", "--batch-size", "-5");
        AssertOneLineError(result, 2, "--batch-size must be a whole number from 1");
    }

    [Test]
    public async Task Another_migrator_holding_the_ledger_lock_makes_the_second_exit_3()
    {
        await using var holder = await OpenUnpooledAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('migrator ledger ' || 'migrator', 0))", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var result = await CliRunner.ShopAsync(ConnectionString, "expand", "--lock-wait", "0.5");
        AssertOneLineError(result, 3, "another migrator holds the ledger lock");
        Assert.That(result.Error, Does.Contain($"pid {holder.ProcessID}"));
    }

    /// <summary>A pipeline runs its commands back to back with --lock-wait 0: the lock must be free the moment
    /// the command before has exited, not when the server has noticed its connection is gone.</summary>
    [Test]
    public async Task The_ledger_lock_is_free_when_a_command_has_exited()
    {
        for (int i = 0; i < 3; i++)
        {
            var expand = await CliRunner.ShopAsync(ConnectionString, "expand", "--lock-wait", "0");
            Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
            Assert.That(
                await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('migrator ledger ' || 'migrator', 0)"),
                Is.Zero,
                "no session holds the ledger lock once the command has exited");
        }
    }

    private static void AssertOneLineError(CliResult result, int code, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(code), result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(message));
    }

    /// <summary>The app schema, the ledger's phases and deployments: what a refused command must not touch.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var command = DataSource.CreateCommand(
            """
            SELECT string_agg(x, E'\n' ORDER BY x) FROM (
              SELECT table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS x
                FROM information_schema.columns WHERE table_schema = 'public'
              UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
              UNION ALL SELECT 'phase ' || change_id || ' ' || phase || ' ' || status || ' ' || steps_done FROM migrator.phases
              UNION ALL SELECT 'deploy ' || app_version || ' ' || coalesce(retired_at::text, 'live') FROM migrator.deployments
            ) s
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
