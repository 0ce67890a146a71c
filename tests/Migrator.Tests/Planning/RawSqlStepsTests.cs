using System.Text.Json;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Planning;

/// <summary>
/// `plan` tells the truth about raw SQL: a script holding statements PostgreSQL refuses in a transaction
/// (CREATE INDEX CONCURRENTLY next to others) is planned as steps that each run the way PostgreSQL
/// accepts, and `expand` then runs exactly those steps on the real server; a script that controls its
/// own transaction is refused by `plan` (exit 2) before anything runs.
/// </summary>
public sealed class RawSqlStepsTests : DatabaseTest
{
    private ScratchMigrationsProject _good = null!;
    private ScratchMigrationsProject _begin = null!;

    private const string Script =
        "CREATE TABLE events (id bigint PRIMARY KEY, a int, b int); " +
        "CREATE INDEX CONCURRENTLY events_a ON events (a); " +
        "CREATE INDEX CONCURRENTLY events_b ON events (b); " +
        "COMMENT ON TABLE events IS 'raw; with a semicolon'";

    [OneTimeSetUp]
    public void CreateProjects()
    {
        _good = new ScratchMigrationsProject("RawSql");
        _good.Write("Changes.cs", $$"""
            using Migrator.Authoring;

            [Change(202612030101, "Events, with raw SQL", AppVersion = "1.0.0")]
            public sealed class C1 : Change
            {
                protected override void Expand() =>
                    Sql(Phase.Expand, "{{Script}}", down: "DROP TABLE IF EXISTS events", touches: ["events"]);
            }
            """);
        _begin = new ScratchMigrationsProject("RawBegin");
        _begin.Write("Changes.cs", """
            using Migrator.Authoring;

            [Change(202612030201, "Raw SQL with its own transaction", AppVersion = "1.0.0")]
            public sealed class C1 : Change
            {
                protected override void Expand() =>
                    Sql(Phase.Expand, "CREATE TABLE t (id int); BEGIN; CREATE INDEX CONCURRENTLY t_id ON t (id); COMMIT;", down: "DROP TABLE IF EXISTS t");
            }
            """);
    }

    [OneTimeTearDown]
    public void DeleteProjects()
    {
        _good.Dispose();
        _begin.Dispose();
    }

    [Test]
    public async Task Sent_as_one_text_PostgreSQL_refuses_the_script()
    {
        // Why the plan splits it: several statements in one command run in one implicit transaction.
        await ExecuteAsync("CREATE TABLE IF NOT EXISTS probe (a int, b int)");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("CREATE INDEX CONCURRENTLY probe_a ON probe (a); CREATE INDEX CONCURRENTLY probe_b ON probe (b)"));
        Assert.That(refused!.SqlState, Is.EqualTo("25001"), refused.Message);
    }

    [Test]
    public async Task Concurrent_builds_in_a_script_are_planned_as_their_own_steps_and_expand_runs_them()
    {
        var plan = await CliRunner.RunAsync("plan", "--migrations", _good.Project, "--format", "json");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        using var json = JsonDocument.Parse(plan.Output);
        var steps = json.RootElement.GetProperty("changes")[0].GetProperty("expand").EnumerateArray()
            .Select(s => (Transactional: s.GetProperty("transactional").GetBoolean(), Sql: string.Join(" | ", s.GetProperty("sql").EnumerateArray().Select(x => x.GetString()))))
            .ToList();
        Assert.That(steps, Is.EqualTo(new[]
        {
            (true, "CREATE TABLE events (id bigint PRIMARY KEY, a int, b int);"),
            (false, "CREATE INDEX CONCURRENTLY events_a ON events (a)"),
            (false, "CREATE INDEX CONCURRENTLY events_b ON events (b)"),
            (true, "COMMENT ON TABLE events IS 'raw; with a semicolon';"),
        }));

        var expand = await CliRunner.RunAsync("expand", "--migrations", _good.Project, "--connection", ConnectionString);
        Assert.That(expand.ExitCode, Is.EqualTo(0), expand.ToString());
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('events_a', 'events_b') AND i.indisvalid"), Is.EqualTo(2));
        Assert.That(await ScalarAsync<string>("SELECT obj_description('events'::regclass)"), Is.EqualTo("raw; with a semicolon"));

        // Run again: nothing left to do.
        var again = await CliRunner.RunAsync("expand", "--migrations", _good.Project, "--connection", ConnectionString);
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
    }

    [Test]
    public async Task A_script_with_its_own_BEGIN_is_refused_by_plan()
    {
        var plan = await CliRunner.RunAsync("plan", "--migrations", _begin.Project);
        Assert.That(plan.ExitCode, Is.EqualTo(2), plan.ToString());
        Assert.That(plan.Error.Trim(), Does.StartWith("error: change 202612030201 (C1): raw SQL controls its own transaction (BEGIN)").And.Not.Contain("\n"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"), Is.EqualTo(0));
    }
}
