using Npgsql;

namespace Migrator.Backfill;

/// <summary>A backfill spec checked against the live table: the table and key exist, and the key's
/// type is known so that checkpoints (stored as text) cast back exactly.</summary>
internal sealed class BackfillTarget
{
    private readonly BackfillSpec _spec;
    private readonly string _table;
    private readonly string _key;
    private readonly string _keyType;

    private BackfillTarget(BackfillSpec spec, string keyType)
    {
        _spec = spec;
        _table = Quote(spec.Schema) + "." + Quote(spec.Table);
        _key = Quote(spec.Key);
        _keyType = keyType;
    }

    /// <summary>schema.table, for messages and the checkpoint row.</summary>
    public string Name => _spec.Schema + "." + _spec.Table;

    public static async Task<BackfillTarget> ResolveAsync(NpgsqlConnection connection, BackfillSpec spec)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT to_regclass(@table) IS NOT NULL,
                   (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                     WHERE a.attrelid = to_regclass(@table) AND a.attname = @key AND a.attnum > 0 AND NOT a.attisdropped),
                   EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                     WHERE i.indrelid = to_regclass(@table) AND i.indisunique AND i.indisvalid AND i.indnatts = 1 AND a.attname = @key)
            """,
            connection);
        command.Parameters.AddWithValue("table", Quote(spec.Schema) + "." + Quote(spec.Table));
        command.Parameters.AddWithValue("key", spec.Key);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (!reader.GetBoolean(0))
        {
            throw new BackfillException($"backfill table {spec.Schema}.{spec.Table} does not exist", isBadInput: true);
        }

        if (reader.IsDBNull(1))
        {
            throw new BackfillException($"backfill key column {spec.Key} does not exist in {spec.Schema}.{spec.Table}", isBadInput: true);
        }

        if (!reader.GetBoolean(2))
        {
            throw new BackfillException(
                $"backfill key {spec.Schema}.{spec.Table}.{spec.Key} has no unique index: batch on the primary key or a unique NOT NULL column",
                isBadInput: true);
        }

        return new BackfillTarget(spec, reader.GetString(1));
    }

    public async Task<bool> AnyPendingAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {_table} WHERE {_spec.Pending})", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> EstimateRowsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(@t)", connection);
        command.Parameters.AddWithValue("t", _table);
        return await command.ExecuteScalarAsync() is long n ? n : 0;
    }

    /// <summary>The key that closes the next batch: the batch-th key after <paramref name="last"/>, or the
    /// last key of the table when fewer remain; null when none remain.</summary>
    public async Task<string?> UpperBoundAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? last, int batchSize, CancellationToken cancellation)
    {
        string after = last is null ? "" : $"WHERE {_key} > CAST(@last AS {_keyType})";
        await using var command = new NpgsqlCommand(
            $"""
            SELECT coalesce(
                (SELECT {_key} FROM {_table} {after} ORDER BY {_key} OFFSET @n LIMIT 1),
                (SELECT max({_key}) FROM {_table} {after}))::text
            """,
            connection,
            tx);
        if (last is not null)
        {
            command.Parameters.AddWithValue("last", last);
        }

        command.Parameters.AddWithValue("n", batchSize - 1);
        return await command.ExecuteScalarAsync(cancellation) as string;
    }

    public async Task<long> UpdateRangeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? last, string high, CancellationToken cancellation)
    {
        string lower = last is null ? "" : $"{_key} > CAST(@last AS {_keyType}) AND ";
        await using var command = new NpgsqlCommand(
            $"UPDATE {_table} SET {_spec.Set} WHERE {lower}{_key} <= CAST(@high AS {_keyType}) AND ({_spec.Pending})",
            connection,
            tx);
        if (last is not null)
        {
            command.Parameters.AddWithValue("last", last);
        }

        command.Parameters.AddWithValue("high", high);
        return await command.ExecuteNonQueryAsync(cancellation);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
