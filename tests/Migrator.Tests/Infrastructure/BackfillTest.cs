using Migrator.Ledger;

namespace Migrator.Tests.Infrastructure;

/// <summary>Base of the backfill engine tests: before each test, a current ledger with change 1 in it
/// and no checkpoints or ranges left from the test before.</summary>
public abstract class BackfillTest : DatabaseTest
{
    [SetUp]
    public async Task ResetLedgerAsync()
    {
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await new LedgerStore(connection, "migrator").EnsureAsync();
        }

        await ExecuteAsync("""
            DELETE FROM migrator.backfill_checkpoints;
            DELETE FROM migrator.backfill_ranges;
            DELETE FROM migrator.backfill_pacing;
            INSERT INTO migrator.changes (change_id, description, app_version) VALUES (1, 't', '1.0.0') ON CONFLICT DO NOTHING;
            """);
    }

    /// <summary>Waits until <paramref name="sql"/> (a count) gives <paramref name="expected"/> while
    /// <paramref name="run"/> goes on: polled every 50 ms, with a minute as a guard against a hang, not as
    /// a measure. Returns early if the run ends first (the caller's assertions then say why).</summary>
    protected async Task WaitForCountAsync(string sql, long expected, Task run)
    {
        var guard = Task.Delay(TimeSpan.FromMinutes(1));
        while (!run.IsCompleted && await ScalarAsync<long>(sql) != expected)
        {
            Assert.That(guard.IsCompleted, Is.False, $"still waiting after a minute for {sql} to give {expected}");
            await Task.Delay(50);
        }
    }

    /// <summary>A fresh <c>things (id bigint PRIMARY KEY, a text NOT NULL, b text)</c> with ids 1..rows
    /// (those <paramref name="where"/> keeps), analysed so the row estimate is right.</summary>
    protected Task CreateThingsAsync(int rows, string where = "true") => ExecuteAsync($"""
        DROP TABLE IF EXISTS things;
        CREATE TABLE things (id bigint PRIMARY KEY, a text NOT NULL, b text);
        INSERT INTO things SELECT g, 'row' || g FROM generate_series(1, {rows}) g WHERE {where};
        ANALYZE things;
        """);
}
