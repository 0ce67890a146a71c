using System.CommandLine;
using System.Text.Json;
using Migrator.Cli;
using Migrator.Tests.Compatibility;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Cli;

/// <summary>--quiet, and a flag for every migrator.json key.</summary>
public sealed class QuietAndFlagsTests : DatabaseTest
{
    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    [SetUp]
    public Task EmptyDatabaseAsync() =>
        ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP SCHEMA IF EXISTS deploy_ledger CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");

    [Test]
    public async Task Quiet_prints_nothing_on_success_but_keeps_the_exit_code_reports_and_errors()
    {
        var quiet = await Cli("expand", "--change", "202611230001", "--quiet");
        Assert.That(quiet.ExitCode, Is.EqualTo(0), quiet.ToString());
        Assert.That(quiet.Output, Is.Empty);

        var status = await Cli("status", "-q");
        Assert.That(status.ExitCode, Is.EqualTo(0));
        Assert.That(status.Output, Is.Empty);

        // Machine-readable output is what was asked for: it still prints.
        var json = await Cli("status", "-q", "--format", "json");
        Assert.That(JsonDocument.Parse(json.Output).RootElement.GetProperty("changes").GetArrayLength(), Is.EqualTo(3));

        // A closed gate says nothing but exits 1; an error still prints its line.
        var gate = await Cli("gate", "--to", "2.0.0", "-q");
        Assert.That(gate.ExitCode, Is.EqualTo(1));
        Assert.That(gate.Output, Is.Empty);
        var bad = await Cli("deploy", "retire", "9.9.9", "-q");
        Assert.That(bad.ExitCode, Is.Not.EqualTo(0));
        Assert.That(bad.Error, Does.StartWith("error: "));

        // A warning is not noise: it prints under --quiet.
        var early = await Cli("deploy", "register", "1.0.0", "--early", "-q");
        Assert.That(early.ExitCode, Is.EqualTo(0), early.ToString());
        Assert.That(early.Output, Is.Empty.Or.StartWith("warning: "));
    }

    [Test]
    public async Task Ledger_schema_and_lock_retries_flags_override_the_config()
    {
        var run = await Cli("expand", "--change", "202611230001", "--ledger-schema", "deploy_ledger", "--lock-retries", "3");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM deploy_ledger.phases WHERE change_id = 202611230001"), Is.GreaterThan(0));
        Assert.That(await ScalarAsync<bool>("SELECT to_regnamespace('migrator') IS NULL"), Is.True, "the config's ledger schema was not used");

        var outOfRange = await Cli("status", "--lock-retries", "0");
        Assert.That(outOfRange.ExitCode, Is.EqualTo(2));
        Assert.That(outOfRange.Error.Trim(), Does.StartWith("error: --lock-retries").And.Not.Contain("\n"));

        var emptySchema = await Cli("status", "--ledger-schema", " ");
        Assert.That(emptySchema.ExitCode, Is.EqualTo(2));
        Assert.That(emptySchema.Error.Trim(), Is.EqualTo("error: flags: ledgerSchema must not be empty"));
    }

    [Test]
    public async Task Retire_wait_flag_sets_the_rollback_window()
    {
        foreach (var step in new[] { new[] { "expand", "--to", "1.0.0" }, ["deploy", "register", "1.0.0"], ["expand"], ["backfill"], ["deploy", "register", "2.0.0"], ["deploy", "retire", "1.0.0"] })
        {
            var result = await Cli(step);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        }

        var refused = await Cli("contract", "--retire-wait", "3600");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error + refused.Output, Does.Contain("1.0.0"));
        Assert.That((await Cli("contract")).ExitCode, Is.EqualTo(0), "without the flag the config's window (0) applies");
    }

    /// <summary>Every key of migrator.json has a flag (docs/configuration.md lists them).</summary>
    [Test]
    public void Every_config_key_has_a_flag_and_the_docs_name_it()
    {
        var flags = new Dictionary<string, string>
        {
            ["migrations"] = "--migrations",
            ["baseline"] = "--baseline",
            ["connection"] = "--connection",
            ["ledgerSchema"] = "--ledger-schema",
            ["lockTimeoutMs"] = "--lock-timeout",
            ["lockRetries"] = "--lock-retries",
            ["lockWaitSeconds"] = "--lock-wait",
            ["retireWaitSeconds"] = "--retire-wait",
            ["batchSize"] = "--batch-size",
            ["ruleDocsUrl"] = "--rule-docs-url",
            ["provider"] = "--provider",
            ["pgVersion"] = "--pg-version",
            ["statementTimeoutMs"] = "--statement-timeout",
            ["lintTransaction"] = "--transaction",
            ["lintExclude"] = "--exclude",
            ["efCoreAppVersions"] = "--ef-app-version",
        };
        Assert.That(MigratorConfig.Keys, Is.EquivalentTo(flags.Keys), "a new key needs a flag here and in the docs");

        var root = MigratorCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null));
        var all = root.Options.Concat(AllCommands(root).SelectMany(c => c.Options)).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
        string docs = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "configuration.md"));
        foreach (var (key, flag) in flags)
        {
            Assert.That(all, Does.Contain(flag), key);
            Assert.That(docs, Does.Contain($"| `{key}` |").And.Contain($"`{flag}`"), key);
        }
    }

    [Test]
    public async Task Baseline_flag_names_the_file_and_a_missing_one_is_refused()
    {
        var missing = await ShopManifests.NextAsync(null, "plan", "--baseline", "/nonexistent/migrator-baseline.json");
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.Error.Trim(), Does.StartWith("error: baseline file not found: /nonexistent/migrator-baseline.json"));
    }

    private static IEnumerable<Command> AllCommands(Command command) =>
        command.Subcommands.SelectMany(c => AllCommands(c).Prepend(c));
}
