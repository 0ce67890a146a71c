using Migrator.Authoring;
using Migrator.Authoring.Operations;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Safety;

/// <summary>
/// A split whose new version writes only some of the new columns. Regression: the other columns
/// stayed NULL, the backfill's "all new columns NULL" predicate never picked those rows, and the
/// contract failed at VALIDATE. Now the trigger completes a required column from the old shape, the
/// backfill picks any row whose required column is still NULL (keeping what was written), and the
/// contract's preconditions are checked by query before it runs.
/// </summary>
public sealed class PartialWriteTests : DatabaseTest
{
    [Test]
    public async Task Rows_a_new_version_wrote_partly_end_fully_populated_and_the_contract_succeeds()
    {
        var (plan, ledger, connection) = await StartAsync(typeof(SplitFullName));
        await using var _ = connection;

        // Not backfilled yet: 2.0.0 updates only last_name of some old rows, and inserts rows giving only last_name.
        await ExecuteAsync("""
            UPDATE people SET last_name = 'Changed' WHERE id <= 100;
            INSERT INTO people (id, last_name) SELECT g, 'OnlyLast' FROM generate_series(2001, 2050) g;
            -- and rows given both, which must be kept as written
            INSERT INTO people (id, first_name, last_name) SELECT g, 'Both', 'Given' FROM generate_series(3001, 3020) g;
            """);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM people WHERE first_name IS NULL AND id > 2000"), Is.EqualTo(0),
            "the trigger completes the required column of a partly written row");

        // Rows written partly by hand, bypassing the trigger (as a version written before this fix would leave them).
        await ExecuteAsync("""
            ALTER TABLE people DISABLE TRIGGER USER;
            UPDATE people SET last_name = 'Bypass' WHERE id BETWEEN 101 AND 150;
            ALTER TABLE people ENABLE TRIGGER USER;
            """);
        foreach (var spec in plan.Backfills)
        {
            await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 64)).RunAsync(plan.Id, spec);
        }

        var preconditions = await PreconditionCheck.RunAsync(connection, plan);
        Assert.That(preconditions.Select(p => p.Holds), Is.All.True, string.Join("; ", preconditions.Select(p => p.Precondition.What)));
        await new PhaseExecutor(ledger, new ExecutionOptions(TimeSpan.FromSeconds(2), 3)).RunAsync(plan, Phase.Contract);

        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM people WHERE first_name IS NULL"), Is.EqualTo(0));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM people WHERE id <= 100 AND last_name = 'Changed' AND first_name = 'first' || id"), Is.EqualTo(100), "written last_name kept, first_name derived");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM people WHERE id BETWEEN 101 AND 150 AND last_name = 'Bypass' AND first_name = 'first' || id"), Is.EqualTo(50), "the backfill fills only the NULL required column");
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM people WHERE id > 3000 AND first_name = 'Both' AND last_name = 'Given'"), Is.EqualTo(20));
            Assert.That(await ScalarAsync<bool>("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = 'first_name'"), Is.True);
        });
    }

    [Test]
    public async Task A_row_whose_required_column_cannot_be_derived_fails_the_precondition_before_anything_of_the_contract_runs()
    {
        var (plan, ledger, connection) = await StartAsync(typeof(SplitFullName));
        await using var _ = connection;
        foreach (var spec in plan.Backfills)
        {
            await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions()).RunAsync(plan.Id, spec);
        }

        await ExecuteAsync("""
            ALTER TABLE people DISABLE TRIGGER USER;
            UPDATE people SET first_name = NULL, full_name = '' WHERE id = 7;
            ALTER TABLE people ENABLE TRIGGER USER;
            """);
        var preconditions = await PreconditionCheck.RunAsync(connection, plan);
        Assert.That(preconditions.Single(p => !p.Holds).Precondition.What, Does.Contain("people.first_name holds no NULL"));
    }

    private async Task<(ChangePlan Plan, LedgerStore Ledger, Npgsql.NpgsqlConnection Connection)> StartAsync(Type change)
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS people");
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([typeof(People), change], "partial"), new SchemaModel());
        var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(plans);
        var options = new ExecutionOptions(TimeSpan.FromSeconds(2), 3);
        await new PhaseExecutor(ledger, options).RunAsync(plans[0], Phase.Expand);
        await ExecuteAsync("INSERT INTO people (id, full_name) SELECT g, 'first' || g || ' last' || g FROM generate_series(1, 1000) g");
        await new PhaseExecutor(ledger, options).RunAsync(plans[1], Phase.Expand);
        return (plans[1], ledger, connection);
    }

    [Change(1, "people", AppVersion = "1.0.0")]
    public sealed class People : Change
    {
        public People() => CreateTable("people", t => t
            .WithColumn("id").AsInt64().PrimaryKey()
            .WithColumn("full_name").AsCustom("text").NotNullable());
    }

    [Change(2, "split full_name", AppVersion = "2.0.0")]
    public sealed class SplitFullName : Change
    {
        public SplitFullName() => SplitColumn("people", "full_name",
            [new NewColumn("first_name", "text", "nullif(split_part(full_name, ' ', 1), '')", Nullable: false), new NewColumn("last_name", "text", "nullif(split_part(full_name, ' ', 2), '')")],
            down: "coalesce(first_name, 'first' || id) || ' ' || coalesce(last_name, '')");
    }
}
