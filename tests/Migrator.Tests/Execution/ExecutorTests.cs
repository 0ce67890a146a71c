using System.Diagnostics;
using FluentMigrator.Postgres;
using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Execution;

/// <summary>The executor on a real database: lock_timeout and retries, atomic steps, concurrent
/// index builds outside transactions, and cleanup of what a failed step leaves.</summary>
public sealed class ExecutorTests : DatabaseTest
{
    [Change(1, "items table", AppVersion = "1.0.0")]
    public sealed class CreateItems : Change
    {
        protected override void Expand() => Create.Table("items")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("code").AsString(20).NotNullable();
    }

    [Change(2, "add items.note", AppVersion = "1.1.0")]
    public sealed class AddNote : Change
    {
        protected override void Expand() => Create.Column("note").OnTable("items").AsString(100).Nullable();
    }

    [Change(3, "two columns, the second fails", AppVersion = "1.2.0")]
    public sealed class HalfBroken : Change
    {
        protected override void Expand()
        {
            Create.Column("first_ok").OnTable("items").AsInt32().Nullable();
            Execute.Sql("ALTER TABLE items ADD COLUMN second_bad no_such_type");
        }
    }

    [Change(4, "unique code, built concurrently", AppVersion = "1.3.0")]
    public sealed class UniqueCode : Change
    {
        protected override void Expand() => Create.Index("ux_items_code").OnTable("items").OnColumn("code").Unique()
            .WithOptions().AsConcurrently();
    }

    private Dictionary<long, ChangePlan> _plans = null!;

    [OneTimeSetUp]
    public async Task CompileAsync()
    {
        var changes = ChangeCatalog.FromTypes([typeof(CreateItems), typeof(AddNote), typeof(HalfBroken), typeof(UniqueCode)], "test");
        _plans = new PhaseCompiler(new PostgresDialect()).Compile(changes, new SchemaModel()).ToDictionary(p => p.Id);
        await using var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(_plans.Values);
        await Executor(connection).RunAsync(_plans[1], Phase.Expand);
        await ExecuteAsync("INSERT INTO items (code) VALUES ('a'), ('b'), ('b')");
    }

    [Test]
    public async Task Ddl_waits_at_most_lock_timeout_then_retries_until_the_blocker_ends()
    {
        await using var blocker = await DataSource.OpenConnectionAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM items", blocker, tx))
        {
            await read.ExecuteScalarAsync();
        }

        var log = new List<string>();
        await using var connection = await DataSource.OpenConnectionAsync();
        var executor = new PhaseExecutor(new LedgerStore(connection, "migrator"), new ExecutionOptions(TimeSpan.FromMilliseconds(200), 20), log.Add);
        var clock = Stopwatch.StartNew();
        var run = executor.RunAsync(_plans[2], Phase.Expand);

        // Meanwhile the app keeps reading: a waiting ALTER would queue it, a retrying one lets it through.
        var appWaits = new List<double>();
        await using var app = await DataSource.OpenConnectionAsync();
        while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            var one = Stopwatch.StartNew();
            await using var query = new NpgsqlCommand("SELECT count(*) FROM items", app);
            await query.ExecuteScalarAsync();
            appWaits.Add(one.Elapsed.TotalMilliseconds);
            await Task.Delay(25);
        }

        await tx.CommitAsync();
        Assert.That(await run, Is.True);
        Assert.That(log.Count(l => l.Contains("lock not available within 200 ms")), Is.GreaterThanOrEqualTo(2), string.Join("\n", log));
        Assert.That(appWaits.Max(), Is.LessThan(200 + 150), "an app query waited longer than lock_timeout behind the DDL");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_failed_step_applies_nothing_and_is_recorded_as_failed()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<MigratorException>(() => Executor(connection).RunAsync(_plans[3], Phase.Expand));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.DatabaseError));
        Assert.That(error.Message, Does.Contain("no_such_type"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'first_ok'"), Is.EqualTo(0),
            "the first statement of the failed step was rolled back with it");
        Assert.That(await ScalarAsync<string>("SELECT status FROM migrator.phases WHERE change_id = 3"), Is.EqualTo("failed"));

        // Restarted from its first step (as after fixing the change), the phase records the SQL it runs now.
        await ExecuteAsync("UPDATE migrator.phases SET checksum = 'stale', steps = '[]' WHERE change_id = 3");
        await Assert.ThrowsAsync<MigratorException>(() => Executor(connection).RunAsync(_plans[3], Phase.Expand));
        Assert.That(await ScalarAsync<string>("SELECT checksum FROM migrator.phases WHERE change_id = 3"), Is.EqualTo(_plans[3].Checksum(Phase.Expand)));
    }

    [Test]
    public async Task Failed_concurrent_index_build_leaves_no_invalid_index_and_reruns_cleanly()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.That(_plans[4].Expand.Single().Transactional, Is.False);
        var error = await Assert.ThrowsAsync<MigratorException>(() => Executor(connection).RunAsync(_plans[4], Phase.Expand));
        Assert.That(error!.Message, Does.Contain("23505"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'ux_items_code'"), Is.EqualTo(0), "the INVALID index was dropped");

        await ExecuteAsync("DELETE FROM items WHERE code = 'b' AND id = (SELECT max(id) FROM items WHERE code = 'b')");
        Assert.That(await Executor(connection).RunAsync(_plans[4], Phase.Expand), Is.True);
        Assert.That(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_items_code'::regclass"), Is.True);
        Assert.That(await Executor(connection).RunAsync(_plans[4], Phase.Expand), Is.False, "a done phase does not run again");
    }

    private static PhaseExecutor Executor(NpgsqlConnection connection) =>
        new(new LedgerStore(connection, "migrator"), new ExecutionOptions(TimeSpan.FromMilliseconds(200), 3));
}
