using System.Diagnostics;
using System.Text.Json;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Lint;

/// <summary>`dotnet migrator lint` as a pipeline runs it: files, folders in natural order, standard input,
/// the four formats, rule selection and suppression, the transaction assumption, exit codes, bad input.</summary>
public sealed class LintCommandTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "migrator-lint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_folder, "migrations"));
        // V2 sorts after V10 by plain string order; Flyway (and lint) order by number.
        Write("migrations/V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note varchar(20));\n");
        Write("migrations/V2__index.sql", "-- the index\nSET lock_timeout = '2s';\n\n  CREATE INDEX orders_customer ON orders (customer_id);\n");
        Write("migrations/V10__widen.sql", "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN note TYPE varchar(50);\nALTER TABLE orders ALTER COLUMN note TYPE varchar(10);\n");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<CliResult> LintNoConfigAsync(params string[] args) => CliRunner.RunAsync(["lint", .. args]);

    [Test]
    public async Task A_folder_is_linted_in_version_order_with_file_line_and_column()
    {
        var result = await LintNoConfigAsync(Path.Combine(_folder, "migrations"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        var lines = result.Output.Trim().Split('\n');
        string v2 = Path.Combine(_folder, "migrations", "V2__index.sql");
        string v10 = Path.Combine(_folder, "migrations", "V10__widen.sql");
        Assert.That(lines[0], Does.StartWith($"{v2}:4:3: error MIG0021: builds an index on orders without CONCURRENTLY"));
        // V10 knows the column from V1: widening is silent, narrowing is an error naming both types.
        Assert.That(lines[1], Does.StartWith($"{v10}:3:1: error MIG0007: changes orders.note from varchar(50) to varchar(10)"));
        Assert.That(lines, Has.None.Contains("V10__widen.sql:2:"));
        Assert.That(lines[^1], Is.EqualTo("3 file(s): 2 error(s), 0 warning(s), 0 note(s)"));
    }

    [Test]
    public async Task Json_sarif_and_github_formats_carry_the_same_findings()
    {
        string folder = Path.Combine(_folder, "migrations");
        var json = await LintNoConfigAsync(folder, "--format", "json");
        using var doc = JsonDocument.Parse(json.Output);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.That(findings.Select(f => f.GetProperty("rule").GetString()), Is.EqualTo(new[] { "MIG0021", "MIG0007" }));
        Assert.That(findings[0].GetProperty("line").GetInt32(), Is.EqualTo(4));
        Assert.That(findings[0].GetProperty("column").GetInt32(), Is.EqualTo(3));
        Assert.That(findings[0].GetProperty("help").GetString(), Is.EqualTo("https://github.com/migrator/migrator/blob/main/docs/rules/MIG0021.md"));
        Assert.That(doc.RootElement.GetProperty("errors").GetInt32(), Is.EqualTo(2));

        var sarif = await LintNoConfigAsync(folder, "--format", "sarif");
        using var log = JsonDocument.Parse(sarif.Output);
        var run = log.RootElement.GetProperty("runs")[0];
        var region = run.GetProperty("results")[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.That(region.GetProperty("artifactLocation").GetProperty("uri").GetString(), Does.EndWith("migrations/V2__index.sql"));
        Assert.That(region.GetProperty("region").GetProperty("startLine").GetInt32(), Is.EqualTo(4));
        Assert.That(region.GetProperty("region").GetProperty("startColumn").GetInt32(), Is.EqualTo(3));
        Assert.That(run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0].GetProperty("helpUri").GetString(), Does.StartWith("https://"));
        Assert.That(sarif.ExitCode, Is.EqualTo(1));

        var github = await LintNoConfigAsync(folder, "--format", "github");
        var annotations = github.Output.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        Assert.That(annotations, Has.Count.EqualTo(2));
        Assert.That(annotations[0], Does.Match(@"^::error file=.*V2__index\.sql,line=4,col=3,title=MIG0021 Index built without CONCURRENTLY \(SQL Server%3A ONLINE = ON\)::builds an index"));
    }

    [Test]
    public async Task Exclude_config_and_inline_comments_silence_rules()
    {
        string file = Write("m.sql",
            "-- migrator-ignore-file MIG0026: the runner sets lock_timeout\n" +
            "CREATE INDEX a ON orders (x); -- migrator-ignore MIG0021: small table\n" +
            "-- migrator-ignore MIG0023: reason\n" +
            "DROP INDEX b;\n" +
            "DROP INDEX c;\n");
        var result = await LintNoConfigAsync(file);
        Assert.That(result.Output, Does.Contain("m.sql:5:1: error MIG0023").And.Not.Contain("m.sql:4:1: error").And.Not.Contain("MIG0021").And.Not.Contain("MIG0026"));

        var excluded = await LintNoConfigAsync(file, "--exclude", "MIG0023,MIG0037");
        Assert.That(excluded.ExitCode, Is.EqualTo(0), excluded.ToString());

        File.WriteAllText(Path.Combine(_folder, "migrator.json"), """{ "lintExclude": "MIG0023" }""");
        var configured = await CliRunner.RunAsync("lint", file, "--config", Path.Combine(_folder, "migrator.json"));
        Assert.That(configured.Output, Does.Not.Contain("MIG0023"));

        var unknown = await LintNoConfigAsync(file, "--exclude", "MIG9999");
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Error.Trim(), Is.EqualTo("error: --exclude MIG9999: no such rule (docs/rules/README.md lists them)"));
    }

    [Test]
    public async Task The_transaction_assumption_is_a_flag_and_a_file_directive()
    {
        string file = Write("cic.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS a ON orders (x);\n");
        Assert.That((await LintNoConfigAsync(file)).ExitCode, Is.EqualTo(0));

        var wrapped = await LintNoConfigAsync(file, "--transaction", "file");
        Assert.That(wrapped.ExitCode, Is.EqualTo(1));
        Assert.That(wrapped.Output, Does.Contain("cic.sql:1:1: error MIG0022: runs CREATE INDEX CONCURRENTLY inside a transaction block"));

        File.WriteAllText(file, "-- migrator:transaction none\n" + File.ReadAllText(file));
        Assert.That((await LintNoConfigAsync(file, "--transaction", "file")).ExitCode, Is.EqualTo(0));

        string explicitBlock = Write("block.sql", "BEGIN;\nCREATE INDEX CONCURRENTLY a ON orders (x);\nCOMMIT;\n");
        Assert.That((await LintNoConfigAsync(explicitBlock)).Output, Does.Contain("block.sql:2:1: error MIG0022"));
    }

    [Test]
    public async Task A_file_that_cannot_be_read_to_its_end_is_a_warning_not_a_pass()
    {
        string file = Write("unterminated.sql", "ALTER TABLE t ADD COLUMN a int;\nSELECT 'unterminated;\nDROP TABLE x;\n");
        var result = await LintNoConfigAsync(file);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Does.Contain("unterminated.sql:2:8: warning MIG0036: cannot read the SQL from here"));
    }

    [Test]
    public async Task Pg_version_changes_the_facts()
    {
        string file = Write("default.sql", "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN status text DEFAULT 'new';\n");
        Assert.That((await LintNoConfigAsync(file)).ExitCode, Is.EqualTo(0));
        var old = await LintNoConfigAsync(file, "--pg-version", "10");
        Assert.That(old.ExitCode, Is.EqualTo(1));
        Assert.That(old.Output, Does.Contain("default.sql:2:1: error MIG0010"));
    }

    [Test]
    public async Task Bad_input_is_one_error_line_with_exit_2()
    {
        var missing = await LintNoConfigAsync(Path.Combine(_folder, "nope.sql"));
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.Error.Trim(), Is.EqualTo($"error: {Path.Combine(_folder, "nope.sql")}: no such file or folder"));

        Directory.CreateDirectory(Path.Combine(_folder, "empty"));
        var empty = await LintNoConfigAsync(Path.Combine(_folder, "empty"));
        Assert.That(empty.ExitCode, Is.EqualTo(2));
        Assert.That(empty.Error.Trim(), Does.EndWith("empty: no .sql file in this folder"));

        var noArgs = await LintNoConfigAsync();
        Assert.That(noArgs.ExitCode, Is.EqualTo(2));

        var badVersion = await LintNoConfigAsync(Path.Combine(_folder, "migrations"), "--pg-version", "42");
        Assert.That(badVersion.ExitCode, Is.EqualTo(2));

        var sqlServer = await LintNoConfigAsync(Path.Combine(_folder, "migrations"), "--provider", "sqlserver", "--connection", "Server=localhost;Database=shop");
        Assert.That(sqlServer.ExitCode, Is.EqualTo(2));
        Assert.That(sqlServer.Error.Trim(), Is.EqualTo("error: lint --connection: reading a sqlserver catalog is not built yet; lint T-SQL without a connection (docs/sqlserver.md)"));
    }

    [Test]
    public async Task Standard_input_is_read_with_a_dash()
    {
        // The installed tool's real process, with SQL piped in.
        var start = new ProcessStartInfo("dotnet", [CliRunner.ToolDll, "lint", "-", "--format", "github"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync("SELECT 1;\nALTER TABLE orders ADD COLUMN data json;\n");
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.EqualTo(1), output + error);
        Assert.That(output, Does.Contain("::warning file=<stdin>,line=2,col=1,title=MIG0032"));
    }

    [Test]
    public async Task The_readme_sample_folder_reports_exactly_its_three_hazards()
    {
        string folder = Path.Combine(CliRunner.RepoRoot, "sample-schemas", "sql-migrations");
        var result = await LintNoConfigAsync(folder, "--format", "json");
        using var doc = JsonDocument.Parse(result.Output);
        var found = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() != "note")
            .Select(f => $"{Path.GetFileName(f.GetProperty("file").GetString())}:{f.GetProperty("line").GetInt32()} {f.GetProperty("rule").GetString()}");
        Assert.That(found, Is.EqualTo(new[] { "V10__invoice_reference.sql:3 MIG0011", "V10__invoice_reference.sql:4 MIG0007", "V10__invoice_reference.sql:5 MIG0021" }));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }
}
