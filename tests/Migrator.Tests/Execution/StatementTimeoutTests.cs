using Migrator.Dialects;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Execution;

/// <summary>Every phase step runs with a statement_timeout: 60 s by default for a transactional DDL step,
/// the configured value when one is given, and a step that exceeds it fails and rolls back whole.</summary>
public sealed class StatementTimeoutTests : DatabaseTest
{
    private ScratchMigrationsProject _project = null!;

    [OneTimeSetUp]
    public void CreateProject()
    {
        _project = new ScratchMigrationsProject("Timeout");
        _project.Write("Changes.cs", """
            using Migrator.Authoring;

            [Change(202612030301, "Record the step's statement_timeout", AppVersion = "1.0.0")]
            public sealed class C1 : Change
            {
                protected override void Expand() =>
                    Sql(Phase.Expand, "CREATE TABLE seen AS SELECT current_setting('statement_timeout') AS timeout", down: "DROP TABLE IF EXISTS seen", touches: ["seen"]);
            }

            [Change(202612030302, "A slow step", AppVersion = "1.1.0")]
            public sealed class C2 : Change
            {
                protected override void Expand() =>
                    Sql(Phase.Expand, "CREATE TABLE slow (id int); SELECT pg_sleep(3);", down: "DROP TABLE IF EXISTS slow", touches: ["slow"]);
            }
            """);
    }

    [OneTimeTearDown]
    public void DeleteProject() => _project.Dispose();

    [SetUp]
    public async Task Reset() => await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS seen, slow");

    [Test]
    public async Task A_ddl_step_runs_with_one_minute_by_default()
    {
        var expand = await CliRunner.RunAsync("expand", "--to", "1.0.0", "--migrations", _project.Project, "--connection", ConnectionString);
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That(await ScalarAsync<string>("SELECT timeout FROM seen"), Is.EqualTo("1min"));
    }

    [Test]
    public async Task The_configured_value_applies_and_a_step_over_it_rolls_back()
    {
        var expand = await CliRunner.RunAsync("expand", "--to", "1.0.0", "--statement-timeout", "2500", "--migrations", _project.Project, "--connection", ConnectionString);
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That(await ScalarAsync<string>("SELECT timeout FROM seen"), Is.EqualTo("2500ms"));

        var slow = await CliRunner.RunAsync("expand", "--statement-timeout", "200", "--migrations", _project.Project, "--connection", ConnectionString);
        Assert.That(slow.ExitCode, Is.EqualTo(4), slow.ToString());
        Assert.That(slow.Error, Does.Contain("statement timeout"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'slow'"), Is.EqualTo(0), "the step rolled back whole");

        var enough = await CliRunner.RunAsync("expand", "--statement-timeout", "0", "--migrations", _project.Project, "--connection", ConnectionString);
        Assert.That(enough.ExitCode, Is.EqualTo(0), enough.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'slow'"), Is.EqualTo(1));
    }
}

/// <summary>Which statement_timeout each kind of step gets.</summary>
public sealed class StatementTimeoutDefaultsTests
{
    private static readonly PhaseStep Ddl = new([new PlannedStatement("ALTER TABLE t ADD COLUMN c int;"), new PlannedStatement("CREATE TRIGGER …;")]);
    private static readonly PhaseStep Validation = new([new PlannedStatement("ALTER TABLE t VALIDATE CONSTRAINT c;")]);
    private static readonly PhaseStep Concurrent = new([PlannedStatement.Alone("CREATE INDEX CONCURRENTLY i ON t (c);", "i")]);

    [Test]
    public void Defaults_depend_on_the_step_and_a_configured_value_applies_to_all()
    {
        var defaults = Migrator.Execution.ExecutionOptions.Default;
        Assert.That(defaults.StatementTimeout(Ddl), Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(defaults.StatementTimeout(Validation), Is.Null);
        Assert.That(defaults.StatementTimeout(Concurrent), Is.Null);

        var set = defaults with { StatementTimeoutMs = 30_000 };
        Assert.That(new[] { Ddl, Validation, Concurrent }.Select(set.StatementTimeout), Has.All.EqualTo(TimeSpan.FromSeconds(30)));

        var none = defaults with { StatementTimeoutMs = 0 };
        Assert.That(new[] { Ddl, Validation, Concurrent }.Select(none.StatementTimeout), Has.All.Null);
    }
}
