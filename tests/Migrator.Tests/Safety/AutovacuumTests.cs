using System.Collections.Concurrent;
using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Safety;

/// <summary>
/// Autovacuum holding a table's lock. PostgreSQL cancels autovacuum only for a lock wait longer than
/// deadlock_timeout, which our lock_timeout is shorter than: right after a big backfill, a contract
/// spent 8 of its 10 retries waiting on it. Now a superuser cancels it (no retry spent) and another role
/// waits for it without spending retries. A real autovacuum is made to run slowly on a table with many
/// dead rows (cost limit 1), with autovacuum_naptime set to 1 s for this test only.
/// </summary>
public sealed class AutovacuumTests : DatabaseTest
{
    [Test]
    public async Task A_step_blocked_by_autovacuum_cancels_it_as_superuser_and_waits_without_spending_retries_otherwise()
    {
        await ExecuteAsync("ALTER SYSTEM SET autovacuum_naptime = '1s'; SELECT pg_reload_conf();");
        try
        {
            // As superuser: one attempt only, so only the cancel can let the step through.
            await using (var vacuum = await StartSlowAutovacuumAsync("dusty"))
            {
                var log = new ConcurrentQueue<string>();
                var plan = Plan(typeof(Dusty), typeof(AddToDusty));
                await using var connection = await DataSource.OpenConnectionAsync();
                var ledger = await LedgerAsync(connection, plan);
                await new PhaseExecutor(ledger, new ExecutionOptions(TimeSpan.FromMilliseconds(200), 1), log.Enqueue).RunAsync(plan, Phase.Expand);
                Assert.That(log, Has.Some.Contains("cancelled autovacuum"), string.Join("\n", log));
                Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'dusty' AND column_name = 'note'"), Is.EqualTo(1));
            }

            // As a role that owns the table but may not cancel autovacuum: it waits, spending no retry,
            // until the autovacuum is gone (cancelled here by the superuser once the wait is seen).
            await ExecuteAsync("""
                DROP ROLE IF EXISTS dusty_owner;
                CREATE ROLE dusty_owner LOGIN PASSWORD 'dusty-owner-1';
                GRANT ALL ON SCHEMA public TO dusty_owner;
                """);
            await using (var vacuum = await StartSlowAutovacuumAsync("dusty2", owner: "dusty_owner"))
            {
                var log = new ConcurrentQueue<string>();
                var plan = Plan(typeof(Dusty2), typeof(AddToDusty2));
                string owner = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = "dusty_owner", Password = "dusty-owner-1" }.ConnectionString;
                await using var ownerSource = NpgsqlDataSource.Create(owner);
                await using var connection = await ownerSource.OpenConnectionAsync();
                await ExecuteAsync("GRANT ALL ON SCHEMA migrator TO dusty_owner; GRANT ALL ON ALL TABLES IN SCHEMA migrator TO dusty_owner;");
                var ledger = new LedgerStore(connection, "migrator");
                await ledger.RecordChangesAsync([plan]);
                var run = new PhaseExecutor(ledger, new ExecutionOptions(TimeSpan.FromMilliseconds(200), 1) { AutovacuumWait = TimeSpan.FromMinutes(2) }, log.Enqueue)
                    .RunAsync(plan, Phase.Expand);
                await WaitUntilAsync(() => run.IsCompleted || log.Any(l => l.Contains("may not cancel it; waiting", StringComparison.Ordinal)), "the executor waiting for autovacuum");
                Assert.That(run.IsCompleted, Is.False, "the step ended while autovacuum still held the table: " + string.Join("\n", log) + (run.Exception?.InnerException?.Message ?? ""));
                // The superuser turns autovacuum off on the table: PostgreSQL cancels the worker for
                // this waiter (it waits past deadlock_timeout) and does not start it again.
                await ExecuteAsync("ALTER TABLE dusty2 SET (autovacuum_enabled = false)");
                await run;
                Assert.That(log, Has.None.Contains("retry 1/"), string.Join("\n", log));
                Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'dusty2' AND column_name = 'note'"), Is.EqualTo(1));
            }
        }
        finally
        {
            await ExecuteAsync("ALTER SYSTEM RESET autovacuum_naptime; SELECT pg_reload_conf();");
        }
    }

    private static ChangePlan Plan(Type base_, Type change) =>
        new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([base_, change], "autovacuum"), new SchemaModel())[1];

    private static async Task<LedgerStore> LedgerAsync(NpgsqlConnection connection, ChangePlan plan)
    {
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync([plan]);
        return ledger;
    }

    /// <summary>A table with many dead rows whose autovacuum crawls (cost limit 1, 100 ms a page), and
    /// the moment an autovacuum worker holds it.</summary>
    private async Task<SlowVacuum> StartSlowAutovacuumAsync(string table, string? owner = null)
    {
        await ExecuteAsync($"""
            CREATE TABLE {table} (id bigint PRIMARY KEY, body text) WITH (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0,
                autovacuum_analyze_threshold = 1000000000, autovacuum_vacuum_cost_delay = 100, autovacuum_vacuum_cost_limit = 1);
            INSERT INTO {table} SELECT g, repeat('x', 200) FROM generate_series(1, 60000) g;
            DELETE FROM {table} WHERE id % 2 = 0;
            {(owner is null ? "" : $"ALTER TABLE {table} OWNER TO {owner};")}
            """);
        int pid = 0;
        await WaitUntilAsync(async () =>
        {
            pid = await ScalarAsync<int>($"SELECT coalesce((SELECT pid FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND query LIKE '%{table}%' LIMIT 1), 0)");
            return pid != 0;
        }, $"autovacuum to start on {table}");
        return new SlowVacuum(this, pid);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        // A deadline only against hanging forever; the test waits for the event, not for a time.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"gave up waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    private sealed class SlowVacuum(AutovacuumTests test, int pid) : IAsyncDisposable
    {
        public int Pid { get; } = pid;

        public async ValueTask DisposeAsync() =>
            await test.ExecuteAsync("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'");
    }

    [Change(1, "dusty", AppVersion = "1.0.0")]
    public sealed class Dusty : Change
    {
        protected override void Expand() => Create.Table("dusty").WithColumn("id").AsInt64().PrimaryKey().WithColumn("body").AsCustom("text").Nullable();
    }

    [Change(2, "note on dusty", AppVersion = "2.0.0")]
    public sealed class AddToDusty : Change
    {
        public AddToDusty() => AddColumn("dusty", "note", "text");
    }

    [Change(3, "dusty2", AppVersion = "1.0.0")]
    public sealed class Dusty2 : Change
    {
        protected override void Expand() => Create.Table("dusty2").WithColumn("id").AsInt64().PrimaryKey().WithColumn("body").AsCustom("text").Nullable();
    }

    [Change(4, "note on dusty2", AppVersion = "2.0.0")]
    public sealed class AddToDusty2 : Change
    {
        public AddToDusty2() => AddColumn("dusty2", "note", "text");
    }
}
