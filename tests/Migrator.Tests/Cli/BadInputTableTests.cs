using System.Text;
using System.Text.Json.Nodes;
using Migrator.Dialects.Postgres;
using Migrator.Tests.Compatibility;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Cli;

/// <summary>
/// More than a hundred bad inputs across the command line, migrator.json, connection strings,
/// migrations paths and usage manifests. Each must give its documented exit code, exactly one line on
/// stderr starting with <c>error:</c> (no stack trace, no .NET type name), and leave the schema and the
/// ledger exactly as they were.
/// </summary>
public sealed class BadInputTableTests : DatabaseTest
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"migrator-bad-table-{Environment.ProcessId}");

    [OneTimeSetUp]
    public async Task PrepareAsync()
    {
        Directory.CreateDirectory(Dir);
        var expand = await CliRunner.ShopAsync(ConnectionString, "expand", "--change", "202611230001");
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That((await CliRunner.ShopAsync(ConnectionString, "deploy", "register", "1.0.0")).ExitCode, Is.EqualTo(0));

        string migrations = CliRunner.ShopMigrations.Replace("\\", "\\\\", StringComparison.Ordinal);
        var configs = new Dictionary<string, string>
        {
            ["malformed"] = "{ \"migrations\": ",
            ["array"] = "[]",
            ["typo"] = "{ \"batchSzie\": 10 }",
            ["timeout-text"] = "{ \"lockTimeoutMs\": \"soon\" }",
            ["timeout-negative"] = "{ \"lockTimeoutMs\": -1 }",
            ["timeout-zero"] = "{ \"lockTimeoutMs\": 0 }",
            ["timeout-overflow"] = "{ \"lockTimeoutMs\": 1e309 }",
            ["timeout-huge"] = "{ \"lockTimeoutMs\": 4000000 }",
            ["batch-zero"] = "{ \"batchSize\": 0 }",
            ["batch-fraction"] = "{ \"batchSize\": 1.5 }",
            ["retries-zero"] = "{ \"lockRetries\": 0 }",
            ["wait-negative"] = "{ \"lockWaitSeconds\": -1 }",
            ["wait-overflow"] = "{ \"lockWaitSeconds\": 1e309 }",
            ["wait-nan"] = "{ \"lockWaitSeconds\": \"NaN\" }",
            ["schema-empty"] = "{ \"ledgerSchema\": \"\" }",
            ["schema-long"] = $"{{ \"ledgerSchema\": \"{new string('s', 64)}\" }}",
            ["migrations-empty"] = "{ \"migrations\": \"\" }",
            ["migrations-txt"] = "{ \"migrations\": \"notes.txt\" }",
            ["trailing"] = "{ \"batchSize\": 10 } x",
            ["null-root"] = "null x",
        };
        foreach (var (name, text) in configs)
        {
            await File.WriteAllTextAsync(Path.Combine(Dir, name + ".json"), text);
        }

        await File.WriteAllTextAsync(Path.Combine(Dir, "notes.txt"), "not an assembly");
        await File.WriteAllTextAsync(Path.Combine(Dir, "fake.dll"), "not an assembly either");
        Directory.CreateDirectory(Path.Combine(Dir, "folder.dll"));

        var v2 = JsonNode.Parse(await File.ReadAllTextAsync(ShopManifests.V2))!;
        var manifests = new Dictionary<string, string>
        {
            ["not-json"] = "{ nope",
            ["array"] = "[1, 2]",
            ["format7"] = With(v2, m => m["formatVersion"] = 7),
            ["format-text"] = With(v2, m => m["formatVersion"] = "1"),
            ["no-version"] = With(v2, m => m.AsObject().Remove("appVersion")),
            ["multi"] = With(v2, m => m["statements"]![0]!["sql"] = "SELECT 1; DROP TABLE order_lines"),
            ["v2"] = v2.ToJsonString(),
        };
        foreach (var (name, text) in manifests)
        {
            await File.WriteAllTextAsync(Path.Combine(Dir, "m-" + name + ".json"), text);
        }
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(Dir, recursive: true);

    public static IEnumerable<TestCaseData> Cases()
    {
        // Numeric options: NaN, infinities, overflow, out of range, not a number.
        foreach (string v in new[] { "abc", "1.5", "NaN", "-5", "0", "99999999999", "1000001" })
        {
            yield return Shop(2, "--batch-size", "backfill", "--batch-size", v);
        }

        foreach (string v in new[] { "abc", "0", "-1", "700000", "1e3" })
        {
            yield return Shop(2, "--target-batch-ms", "backfill", "--target-batch-ms", v);
        }

        foreach (string v in new[] { "NaN", "Infinity", "-Infinity", "1e309", "0", "-3", "abc" })
        {
            yield return Shop(2, "--max-rows-per-second", "backfill", "--max-rows-per-second", v);
        }

        foreach (string v in new[] { "-1", "NaN", "3600001", "x" })
        {
            yield return Shop(2, "--batch-delay", "backfill", "--batch-delay", v);
        }

        foreach (string v in new[] { "NaN", "Infinity", "0", "-1", "1e309" })
        {
            yield return Shop(2, "--max-replica-lag", "backfill", "--max-replica-lag", v);
        }

        foreach (string v in new[] { "0", "-1", "100000", "65", "two" })
        {
            yield return Shop(2, "--workers", "backfill", "--workers", v);
        }

        yield return Shop(2, "--max-replica-lag too", "backfill", "--replica", "standby1");
        yield return Shop(2, "--progress", "backfill", "--progress", "xml");
        foreach (string v in new[] { "NaN", "Infinity", "-1", "1e309", "86401", "soon" })
        {
            yield return Shop(2, "--lock-wait", "expand", "--lock-wait", v);
        }

        foreach (string v in new[] { "0", "-5", "NaN", "3600001", "99999999999" })
        {
            yield return Shop(2, "--lock-timeout", "expand", "--lock-timeout", v);
        }

        foreach (string v in new[] { "0", "-1", "abc", "99999999999999999999" })
        {
            yield return Shop(2, "--change", "contract", "--change", v);
        }

        yield return Shop(2, "unknown change id 42", "contract", "--change", "42");
        yield return Shop(2, "unknown change id 42", "backfill", "--change", "42");
        yield return Shop(2, "unknown change id 42", "rollback", "--change", "42");

        // Commands and arguments.
        yield return Raw(2, "unknown command 'frobnicate'", "frobnicate");
        yield return Raw(2, "unknown command 'pln'; did you mean 'plan'?", "pln");
        yield return Raw(2, "unknown option '--no-such-option'", "plan", "--no-such-option");
        yield return Shop(2, "did you mean '--batch-size'?", "backfill", "--batch-sise", "10");
        yield return Shop(2, "error:", "deploy", "register");
        foreach (string v in new[] { "latest", "2.0", "v2.0.0", "", "1.0.0.0" })
        {
            yield return Shop(2, "SemVer", "deploy", "register", v);
        }

        yield return Shop(2, "SemVer", "deploy", "retire", "x.y");
        yield return Shop(2, "--to", "gate");
        yield return Shop(2, "SemVer", "gate", "--to", "x");
        yield return Shop(2, "SemVer", "gate", "--to", "");
        yield return Shop(2, "--change", "rollback");
        yield return Shop(2, "--change", "rollback", "--change", "abc");
        yield return Shop(2, "yaml", "plan", "--format", "yaml");
        yield return Shop(2, "xml", "gate", "--to", "2.0.0", "--format", "xml");
        yield return Shop(2, "--output", "plan", "-o", "{dir}/missing/report.json");
        yield return Shop(2, "--output", "plan", "-o", "{dir}");
        yield return Raw(2, "project not found", "usage", "extract", "--project", "{dir}/nope", "--app-version", "1.0.0");
        yield return Raw(2, "--app-version", "usage", "extract", "--project", "{dir}");
        yield return Raw(2, "oracle", "usage", "extract", "--project", "{dir}", "--app-version", "1.0.0", "--dialect", "oracle");
        yield return Raw(2, "SemVer", "usage", "extract", "--project", "{dir}", "--app-version", "one");

        // migrator.json.
        yield return Raw(2, "config file not found", "plan", "--config", "{dir}/nope.json");
        yield return Config(2, "malformed.json is not valid", "malformed");
        yield return Config(2, "array.json is not valid", "array");
        yield return Config(2, "did you mean 'batchSize'?", "typo");
        yield return Config(2, "'lockTimeoutMs' must be a whole number", "timeout-text");
        yield return Config(2, "lockTimeoutMs must be", "timeout-negative");
        yield return Config(2, "lockTimeoutMs must be", "timeout-zero");
        yield return Config(2, "lockTimeoutMs", "timeout-overflow");
        yield return Config(2, "lockTimeoutMs must be", "timeout-huge");
        yield return Config(2, "batchSize must be", "batch-zero");
        yield return Config(2, "'batchSize' must be a whole number", "batch-fraction");
        yield return Config(2, "lockRetries must be", "retries-zero");
        yield return Config(2, "lockWaitSeconds must be", "wait-negative");
        yield return Config(2, "lockWaitSeconds", "wait-overflow");
        yield return Config(2, "'lockWaitSeconds' must be a number", "wait-nan");
        yield return Config(2, "ledgerSchema must not be empty", "schema-empty");
        yield return Config(2, "64 bytes", "schema-long");
        yield return Config(2, "migrations must not be empty", "migrations-empty");
        yield return Raw(2, "must be a .csproj or a .dll", "plan", "--config", "{dir}/migrations-txt.json");
        yield return Config(2, "trailing.json is not valid", "trailing");
        yield return Config(2, "null-root.json is not valid", "null-root");

        // Migrations paths.
        yield return Raw(2, "migrations not found", "plan", "--migrations", "{dir}/Missing.dll");
        yield return Raw(2, "no migrations given", "plan", "--migrations", "");
        yield return Raw(2, "is not a .NET assembly", "plan", "--migrations", "{dir}/fake.dll");
        yield return Raw(2, "migrations not found", "plan", "--migrations", "{dir}/folder.dll");
        yield return Raw(2, "must be a .csproj or a .dll", "plan", "--migrations", "{dir}/notes.txt");
        yield return Raw(2, "no changes found in Shop.App.V1", "plan", "--migrations", "{appdll}");

        // Connection strings.
        yield return Conn(2, "connection string is malformed", "Host=127.0.0.1;Bogus Keyword=1");
        yield return Conn(2, "connection string is malformed", "Host=127.0.0.1;Port=abc");
        yield return Conn(2, "connection string is malformed", "Host=127.0.0.1;Timeout=soon");
        yield return Conn(2, "connection string is malformed", "Host=127.0.0.1;Pooling=maybe");
        yield return Conn(2, "connection string is malformed", "this is not a connection string");
        yield return Conn(4, "cannot connect to 127.0.0.1:1", "Host=127.0.0.1;Port=1;Username=x;Password=hunter2;Timeout=3");

        // Usage manifests.
        foreach (var (file, fragment) in new[]
        {
            ("not-json", "is not valid JSON"), ("array", "has no formatVersion"), ("format7", "format version 7"),
            ("format-text", "has no formatVersion"), ("no-version", "lacks appVersion"), ("multi", "holds 2 SQL statements"),
        })
        {
            yield return Shop(2, fragment, "plan", "--usage", $"2.0.0={{dir}}/m-{file}.json");
            yield return Shop(2, fragment, "deploy", "register", "2.0.0", "--usage", $"{{dir}}/m-{file}.json");
        }

        yield return Shop(2, "is for app version 2.0.0, not 1.0.0", "plan", "--usage", "1.0.0={dir}/m-v2.json");
        yield return Shop(2, "twice", "plan", "--usage", "2.0.0={dir}/m-v2.json", "--usage", "2.0.0={dir}/m-v2.json");
        yield return Shop(2, "expects VERSION=FILE", "plan", "--usage", "2.0.0");
        yield return Shop(2, "expects VERSION=FILE", "plan", "--usage", "={dir}/m-v2.json");
        yield return Shop(2, "SemVer", "plan", "--usage", "latest={dir}/m-v2.json");
        yield return Shop(2, "usage manifest not found", "plan", "--usage", "2.0.0={dir}/m-missing.json");
        yield return Shop(2, "usage manifest not found", "gate", "--to", "2.0.0", "--usage", "2.0.0={dir}/m-missing.json");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Bad_input_gets_one_error_line_its_exit_code_and_changes_nothing(int code, string fragment, string[] args, bool shop)
    {
        string[] resolved = [.. args.Select(a => a
            .Replace("{dir}", Dir, StringComparison.Ordinal)
            .Replace("{conn}", ConnectionString, StringComparison.Ordinal)
            .Replace("{appdll}", typeof(Shop.App.V1.Customer).Assembly.Location, StringComparison.Ordinal))];
        if (shop)
        {
            resolved = [.. resolved, "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, .. resolved.Contains("--connection") ? Array.Empty<string>() : ["--connection", ConnectionString]];
        }

        string before = await SnapshotAsync();
        var result = await CliRunner.RunAsync(resolved);
        string after = await SnapshotAsync();

        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(code), result.ToString());
            Assert.That(lines, Has.Length.EqualTo(1), result.ToString());
            Assert.That(lines.FirstOrDefault(), Does.StartWith("error: "), result.ToString());
            Assert.That(result.Error, Does.Contain(fragment), result.ToString());
            Assert.That(result.Error, Does.Not.Match(@"System\.[A-Z]|Migrator\.[A-Z][a-z]+\.|`1|   at "), "no .NET type names or stack traces");
            Assert.That(after, Is.EqualTo(before), "schema and ledger unchanged");
        });
    }

    [Test]
    public void There_are_more_than_a_hundred_cases() => Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(100));

    private static TestCaseData Shop(int code, string fragment, params string[] args) =>
        new TestCaseData(code, fragment, args, true).SetArgDisplayNames(Name(args));

    private static TestCaseData Raw(int code, string fragment, params string[] args) =>
        new TestCaseData(code, fragment, args, false).SetArgDisplayNames(Name(args));

    private static TestCaseData Config(int code, string fragment, string file) =>
        new TestCaseData(code, fragment, new[] { "plan", "--config", $"{{dir}}/{file}.json", "--migrations", CliRunner.ShopMigrations }, false).SetArgDisplayNames("config " + file);

    private static TestCaseData Conn(int code, string fragment, string connection) =>
        new TestCaseData(code, fragment, new[] { "status", "--connection", connection }, true).SetArgDisplayNames("connection " + connection);

    private static string Name(string[] args) => string.Join(' ', args.Select(a => a.Length == 0 ? "\"\"" : a.Replace("{dir}/", "", StringComparison.Ordinal)));

    private static string With(JsonNode manifest, Action<JsonNode> edit)
    {
        var copy = JsonNode.Parse(manifest.ToJsonString())!;
        edit(copy);
        return copy.ToJsonString();
    }

    /// <summary>The app schema and every ledger table, as text.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var text = new StringBuilder(string.Join("\n", await SchemaSnapshot.ReadAsync(connection)));
        await using var command = DataSource.CreateCommand("""
            SELECT (SELECT string_agg(change_id || phase || status || steps_done, ',' ORDER BY change_id, phase) FROM migrator.phases)
                || '|' || (SELECT string_agg(app_version || coalesce(slot, '') || coalesce(retired_at::text, ''), ',' ORDER BY id) FROM migrator.deployments)
                || '|' || (SELECT count(*) FROM migrator.history)
                || '|' || (SELECT count(*) FROM migrator.backfill_checkpoints)
                || '|' || (SELECT count(*) FROM migrator.owned_objects)
            """);
        text.Append('\n').Append(await command.ExecuteScalarAsync());
        return text.ToString();
    }
}
