using Migrator.Cli;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Cli;

/// <summary>Every migrator.json key can come from a MIGRATOR_… variable (a container's usual way); it
/// overrides the file, a flag overrides both, and a bad value is one error naming the variable.</summary>
public sealed class ConfigEnvironmentTests : DatabaseTest
{
    private static async Task<T> WithAsync<T>(string variable, string value, Func<Task<T>> run)
    {
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            return await run();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public void Every_key_has_a_variable_name()
    {
        Assert.That(MigratorConfig.Keys.Select(MigratorConfig.EnvironmentName), Does.Contain("MIGRATOR_LOCK_TIMEOUT_MS").And.Contain("MIGRATOR_LEDGER_SCHEMA")
            .And.Contain("MIGRATOR_CONNECTION").And.Contain("MIGRATOR_RETIRE_WAIT_SECONDS").And.Contain("MIGRATOR_MIGRATIONS"));
    }

    [Test]
    public async Task A_variable_sets_a_key_over_the_file_and_a_bad_value_names_the_variable()
    {
        var expand = await WithAsync("MIGRATOR_LEDGER_SCHEMA", "ops_ledger", () => CliRunner.ShopAsync(ConnectionString, "expand", "--change", "202611230001"));
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM ops_ledger.phases"), Is.EqualTo(1), "the ledger went to the variable's schema, not the file's");

        var bad = await WithAsync("MIGRATOR_BATCH_SIZE", "many", () => CliRunner.ShopAsync(ConnectionString, "status"));
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.Error.Trim(), Is.EqualTo("error: MIGRATOR_BATCH_SIZE: 'many' is not a whole number"));

        var range = await WithAsync("MIGRATOR_LOCK_TIMEOUT_MS", "0", () => CliRunner.ShopAsync(ConnectionString, "status"));
        Assert.That(range.ExitCode, Is.EqualTo(2), range.ToString());
        Assert.That(range.Error, Does.Contain("MIGRATOR_* environment variables").And.Contain("lockTimeoutMs must be a whole number from 1 to 3600000"));

        var flag = await WithAsync("MIGRATOR_LOCK_TIMEOUT_MS", "0", () => CliRunner.ShopAsync(ConnectionString, "status", "--lock-timeout", "500"));
        Assert.That(flag.ExitCode, Is.EqualTo(2), "the file and variables are checked even when a flag overrides them\n" + flag);
    }
}
