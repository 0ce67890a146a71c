using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// Reads and writes checkpoints in the ledger's backfill_checkpoints table. A batch writes its
/// checkpoint in its own transaction, so a killed run resumes exactly after the last committed batch.
/// </summary>
public sealed class CheckpointStore(string ledgerSchema)
{
    private readonly string _table = "\"" + ledgerSchema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\".backfill_checkpoints";

    public async Task<Checkpoint?> ReadAsync(NpgsqlConnection connection, long changeId, string table)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT last_key, rows_done, passes, completed_at IS NOT NULL FROM {_table} WHERE change_id = @id AND table_name = @table",
            connection);
        command.Parameters.AddWithValue("id", changeId);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new Checkpoint(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetBoolean(3));
    }

    /// <summary>Saves the position; <paramref name="rowsAdded"/> is added to the stored rows_done in the
    /// statement itself, so several processes backfilling one table count every row once.
    /// <see cref="Checkpoint.RowsDone"/> of <paramref name="checkpoint"/> is not written.</summary>
    public async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long changeId, string table, Checkpoint checkpoint, long rowsAdded)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { SaveCommand(changeId, table, checkpoint, rowsAdded) } };
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The statement of <see cref="SaveAsync"/>, for a batch to send with its other statements.</summary>
    public NpgsqlBatchCommand SaveCommand(long changeId, string table, Checkpoint checkpoint, long rowsAdded) => new(
        $"""
        INSERT INTO {_table} (change_id, table_name, last_key, rows_done, passes, completed_at)
        VALUES (@id, @table, @last, @rows, @passes, CASE WHEN @completed THEN now() END)
        ON CONFLICT (change_id, table_name) DO UPDATE SET last_key = EXCLUDED.last_key, rows_done = {_table}.rows_done + EXCLUDED.rows_done,
            passes = EXCLUDED.passes, completed_at = EXCLUDED.completed_at, updated_at = now()
        """)
    {
        Parameters =
        {
            new NpgsqlParameter("id", changeId),
            new NpgsqlParameter("table", table),
            new NpgsqlParameter("last", (object?)checkpoint.LastKey ?? DBNull.Value),
            new NpgsqlParameter("rows", rowsAdded),
            new NpgsqlParameter("passes", checkpoint.Passes),
            new NpgsqlParameter("completed", checkpoint.Completed),
        },
    };
}
