using Migrator.Ledger;
using Npgsql;

namespace Migrator.Bench;

/// <summary>
/// The backfill benches' table, <c>bench (id bigint PRIMARY KEY, a text NOT NULL, b text)</c> with ids
/// 1..rows (hash-partitioned when asked), a current ledger with change 1 and no checkpoint, range or
/// pacing row left; vacuumed, analysed and checkpointed so every measurement starts alike. Run on
/// connections that close afterwards: an idle pooled connection that ran something in the last second
/// is the app to the impact-aware pacing.
/// </summary>
public static class BenchTable
{
    /// <summary>Rows of <c>bench_app</c>, the table the light-elsewhere app writer writes to.</summary>
    public const long AppRows = 10_000;

    /// <param name="doneRows">Rows after the first <paramref name="rows"/> (ids rows+1..rows+doneRows) whose
    /// <c>b</c> is already set, so not pending: rows of the backfilled table the backfill does not update.</param>
    public static async Task CreateAsync(NpgsqlDataSource unpooled, long rows, int partitions = 0, long doneRows = 0)
    {
        await using (var connection = await unpooled.OpenConnectionAsync())
        {
            await new LedgerStore(connection, "migrator").EnsureAsync();
        }

        await ExecuteAsync(unpooled, $"""
            DROP TABLE IF EXISTS bench, bench_app;
            CREATE TABLE bench_app (id bigint PRIMARY KEY, a text NOT NULL);
            INSERT INTO bench_app (id, a) SELECT g, 'app' || g FROM generate_series(1, {AppRows}) g;
            CREATE TABLE bench (id bigint PRIMARY KEY, a text NOT NULL, b text){(partitions == 0 ? "" : " PARTITION BY HASH (id)")};
            {string.Join("\n", Enumerable.Range(0, partitions).Select(p => $"CREATE TABLE bench_{p} PARTITION OF bench FOR VALUES WITH (MODULUS {partitions}, REMAINDER {p});"))}
            INSERT INTO bench (id, a) SELECT g, 'customer' || g || '@example.com' FROM generate_series(1, {rows}) g;
            INSERT INTO bench (id, a, b) SELECT g, 'customer' || g || '@example.com', 'done' FROM generate_series({rows} + 1, {rows} + {doneRows}) g;
            DELETE FROM migrator.backfill_checkpoints;
            DELETE FROM migrator.backfill_ranges;
            DELETE FROM migrator.backfill_pacing;
            INSERT INTO migrator.changes (change_id, description, app_version) VALUES (1, 'bench', '1.0.0') ON CONFLICT DO NOTHING;
            """);
        await ExecuteAsync(unpooled, "VACUUM ANALYZE bench, bench_app");
        await ExecuteAsync(unpooled, "CHECKPOINT");
        GC.Collect();
    }

    public static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
