using Migrator.Backfill;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Backfill;

/// <summary>The first backfill engine: keyset batches, checkpoint after each, resume, completion check.</summary>
public sealed class BackfillRunnerTests : BackfillTest
{
    private static readonly BackfillSpec Spec = new("things", "id", "b = upper(a)", "b IS NULL");

    [SetUp]
    public Task CreateTableAsync() => CreateThingsAsync(10_000, where: "g % 7 <> 0");

    [Test]
    public async Task A_stopped_run_resumes_from_its_checkpoint_and_finishes_with_nothing_left()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 500));
        using var stop = new CancellationTokenSource();
        var stopper = new OnProgress(p =>
        {
            if (p.Batches == 5)
            {
                stop.Cancel();
            }
        });
        await Assert.CatchAsync<OperationCanceledException>(() => runner.RunAsync(1, Spec, stopper, stop.Token));
        var checkpoint = await new CheckpointStore("migrator").ReadAsync(connection, 1, "public.things");
        Assert.That(checkpoint!.RowsDone, Is.EqualTo(2500));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NOT NULL"), Is.EqualTo(2500));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM things WHERE b IS NOT NULL AND id > {checkpoint.LastKey}"), Is.EqualTo(0));

        var rest = await runner.RunAsync(1, Spec);
        Assert.That(rest.RowsUpdated, Is.EqualTo(8572 - 2500));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS DISTINCT FROM upper(a)"), Is.EqualTo(0));
        Assert.That((await runner.RunAsync(1, Spec)).AlreadyComplete, Is.True);
        Assert.That(await BackfillRunner.IsCompleteAsync(connection, Spec), Is.True);
    }

    [Test]
    public async Task Rows_written_behind_the_cursor_are_picked_up_by_another_pass()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 1000));
        bool inserted = false;
        var late = new OnProgress(p =>
        {
            if (p.Batches == 3 && !inserted)
            {
                inserted = true;
                using var insert = DataSource.CreateCommand("INSERT INTO things VALUES (7, 'late')");
                insert.ExecuteNonQuery();
            }
        });
        await runner.RunAsync(1, Spec, late);
        Assert.That(inserted, Is.True);
        Assert.That(await ScalarAsync<string>("SELECT b FROM things WHERE id = 7"), Is.EqualTo("LATE"));
    }

    [Test]
    public async Task Unknown_table_or_key_is_bad_input()
    {
        var runner = new BackfillRunner(DataSource.OpenConnection(), new CheckpointStore("migrator"), new BackfillOptions());
        var table = await Assert.ThrowsAsync<BackfillException>(() => runner.RunAsync(1, Spec with { Table = "nope" }));
        var key = await Assert.ThrowsAsync<BackfillException>(() => runner.RunAsync(1, Spec with { Key = "a" }));
        Assert.That(table!.IsBadInput && key!.IsBadInput, Is.True);
        Assert.That(table.Message, Does.Contain("does not exist"));
        Assert.That(key!.Message, Does.Contain("no unique index"));
    }

    [Test]
    public async Task A_set_expression_that_fails_keeps_the_checkpoint_before_the_failing_batch()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 1000));
        var failing = Spec with { Set = "b = CASE WHEN id > 4500 THEN (1 / (id - id))::text ELSE upper(a) END" };
        var error = await Assert.ThrowsAsync<BackfillException>(() => runner.RunAsync(1, failing));
        Assert.That(error!.Message, Does.Contain("22012"));
        var checkpoint = await new CheckpointStore("migrator").ReadAsync(connection, 1, "public.things");
        Assert.That(long.Parse(checkpoint!.LastKey!), Is.LessThan(4500));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NOT NULL AND id > " + checkpoint.LastKey), Is.EqualTo(0));
    }

    [Test]
    public async Task Skipping_user_triggers_as_a_role_that_may_not_is_bad_input_and_changes_nothing()
    {
        // Roles belong to the cluster, which other tests share: a name of this test's own.
        string role = "backfiller_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'pw'; GRANT ALL ON things TO {role}; GRANT ALL ON SCHEMA migrator TO {role}; GRANT ALL ON ALL TABLES IN SCHEMA migrator TO {role}");
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Username = role, Password = "pw", Pooling = false };
            await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 1000) { SkipUserTriggers = true });
            var error = await Assert.ThrowsAsync<BackfillException>(() => runner.RunAsync(1, Spec));
            Assert.That(error!.IsBadInput, Is.True);
            Assert.That(error.Message, Does.StartWith("--skip-user-triggers needs a role that may set session_replication_role"));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM things WHERE b IS NOT NULL"), Is.EqualTo(0));
        }
        finally
        {
            await ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }
}
