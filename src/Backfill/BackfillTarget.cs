using System.Text.Json;
using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// A backfill spec checked against the live table: the table exists, and its batching key is a
/// unique index on NOT NULL columns (the primary key unless the spec names another), one column or
/// several. Keys are compared as rows, <c>(k1, k2) &gt; (…)</c>, which PostgreSQL answers with an index
/// range scan; checkpoints store the key as text (a JSON array of texts for a composite key) and are
/// cast back with each column's exact type.
/// </summary>
internal sealed class BackfillTarget
{
    private readonly BackfillSpec _spec;
    private readonly string _table;
    private readonly IReadOnlyList<(string Name, string Type)> _key;

    private BackfillTarget(BackfillSpec spec, IReadOnlyList<(string Name, string Type)> key)
    {
        _spec = spec;
        _table = (spec.Only ? "ONLY " : "") + Quote(spec.Schema) + "." + Quote(spec.Table);
        _key = key;
    }

    /// <summary>
    /// The storage tables to batch one at a time when the spec's table is partitioned (at any depth)
    /// or has inheritance children: every plain table of its inheritance tree (the parent itself
    /// too, for its own rows), each updated with <c>ONLY</c>. Empty for a table with no partitions or
    /// children, which is batched directly.
    /// </summary>
    public static async Task<IReadOnlyList<BackfillSpec>> SegmentsAsync(NpgsqlConnection connection, BackfillSpec spec)
    {
        if (spec.Only)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            $"""
            {InheritanceTree.Cte}
            SELECT n.nspname::text, c.relname::text, c.relkind::text, EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid)
            FROM tree t JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace
            ORDER BY c.oid = to_regclass(@table)::oid DESC, n.nspname, c.relname
            """,
            connection);
        command.Parameters.AddWithValue("table", Quote(spec.Schema) + "." + Quote(spec.Table));
        var rows = new List<(string Schema, string Table, string Kind, bool Parent)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
            }
        }

        if (rows.Count <= 1)
        {
            return [];
        }

        if (rows.FirstOrDefault(r => r.Kind == "f") is { Table: not null } foreign)
        {
            throw new BackfillException($"{spec.Schema}.{spec.Table}: partition {foreign.Schema}.{foreign.Table} is a foreign table, which a backfill cannot batch: backfill it on its own server", isBadInput: true);
        }

        return [.. rows.Where(r => r.Kind == "r").Select(r => spec with { Schema = r.Schema, Table = r.Table, Only = r.Parent })];
    }

    /// <summary>schema.table, for messages and the checkpoint row; an inheritance parent's own rows,
    /// batched apart from its children's, are "schema.table (own rows)".</summary>
    public string Name => _spec.Schema + "." + _spec.Table + (_spec.Only ? " (own rows)" : "");

    /// <summary>The key columns, comma-separated.</summary>
    public string KeyColumns => string.Join(", ", _key.Select(k => k.Name));

    private string Columns => string.Join(", ", _key.Select(k => Quote(k.Name)));

    private string Row => _key.Count == 1 ? Quote(_key[0].Name) : $"({Columns})";

    /// <summary>The key as a text array, as keys are read back to be stored.</summary>
    private string KeyTexts => $"ARRAY[{string.Join(", ", _key.Select(k => Quote(k.Name) + "::text"))}]";

    /// <summary>Checks the table and finds its key; with <paramref name="keyRequired"/> false (for the
    /// completion check of a partitioned parent) the key is not looked for.</summary>
    public static async Task<BackfillTarget> ResolveAsync(NpgsqlConnection connection, BackfillSpec spec, bool keyRequired = true)
    {
        string table = Quote(spec.Schema) + "." + Quote(spec.Table);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("table", table);
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                throw new BackfillException($"backfill table {spec.Schema}.{spec.Table} does not exist", isBadInput: true);
            }
        }

        if (!keyRequired)
        {
            return new BackfillTarget(spec, []);
        }

        // Every unique, valid, plain (no expression, no predicate) index: its columns in order, their
        // types, and whether all are NOT NULL. The primary key comes first, then the narrowest.
        var candidates = new List<(bool Primary, string[] Names, string[] Types, bool NotNull)>();
        await using (var indexes = new NpgsqlCommand(
            """
            SELECT i.indisprimary, array_agg(a.attname::text ORDER BY k.ord), array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY k.ord), bool_and(a.attnotnull)
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = to_regclass(@table) AND i.indisunique AND i.indisvalid
              AND i.indpred IS NULL AND i.indexprs IS NULL AND k.ord <= i.indnkeyatts
            GROUP BY i.indexrelid, i.indisprimary
            ORDER BY i.indisprimary DESC, count(*), i.indexrelid
            """,
            connection))
        {
            indexes.Parameters.AddWithValue("table", table);
            await using var reader = await indexes.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                candidates.Add((reader.GetBoolean(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<string[]>(2), reader.GetBoolean(3)));
            }
        }

        if (spec.Key is null)
        {
            var usable = candidates.FirstOrDefault(c => c.NotNull);
            return usable.Names is null
                ? throw new BackfillException(
                    $"{spec.Schema}.{spec.Table} has no primary key and no unique index on NOT NULL columns to batch on: add a primary key (or a unique index on NOT NULL columns)",
                    isBadInput: true)
                : new BackfillTarget(spec, [.. usable.Names.Zip(usable.Types)]);
        }

        // The index's own column order is the order rows are compared in, whatever order the key was
        // declared in (a composite primary key is often declared in the table's column order).
        string[] wanted = [.. spec.Key.Split(',').Select(k => k.Trim().Trim('"'))];
        var match = candidates.FirstOrDefault(c => c.Names.SequenceEqual(wanted));
        if (match.Names is null)
        {
            match = candidates.FirstOrDefault(c => c.Names.Length == wanted.Length && c.Names.Order(StringComparer.Ordinal).SequenceEqual(wanted.Order(StringComparer.Ordinal)));
        }

        if (match.Names is null)
        {
            throw new BackfillException(
                $"backfill key ({string.Join(", ", wanted)}) of {spec.Schema}.{spec.Table} has no unique index: batch on the primary key or a unique index on NOT NULL columns",
                isBadInput: true);
        }

        return match.NotNull
            ? new BackfillTarget(spec, [.. match.Names.Zip(match.Types)])
            : throw new BackfillException($"backfill key ({string.Join(", ", wanted)}) of {spec.Schema}.{spec.Table} has nullable columns: keyset batches need NOT NULL keys", isBadInput: true);
    }

    public async Task<bool> AnyPendingAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {_table} WHERE {_spec.Pending})", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> EstimateRowsAsync(NpgsqlConnection connection)
    {
        // A table updated ONLY counts its own rows; otherwise its partitions' and children's too.
        await using var command = new NpgsqlCommand(
            _spec.Only
                ? "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(@table)"
                : $"{InheritanceTree.Cte} SELECT sum(greatest(c.reltuples, 0))::bigint FROM tree t JOIN pg_class c ON c.oid = t.oid",
            connection);
        command.Parameters.AddWithValue("table", Quote(_spec.Schema) + "." + Quote(_spec.Table));
        return await command.ExecuteScalarAsync() is long n ? n : 0;
    }

    /// <summary>
    /// One batch in one statement: locks the next <paramref name="batchSize"/> pending rows after
    /// <paramref name="last"/> in key order that no other transaction holds (FOR NO KEY UPDATE SKIP LOCKED: a
    /// row the app has locked is not waited for; it stays pending and a later pass does it), updates
    /// them, and returns how many it updated, the highest key among them (null when none are left in
    /// this pass) and whether it picked <paramref name="batchSize"/> rows (a row the app updated after the
    /// statement began is picked but not updated: see <see cref="BatchStatement"/>).
    /// </summary>
    public Task<(long Rows, string? High, bool Full)> UpdateNextAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? last, int batchSize, CancellationToken cancellation, string? upper = null, IReadOnlyList<NpgsqlBatchCommand>? before = null) =>
        RunSkipLockedAsync(connection, tx, parameters => BatchSql(parameters, last, batchSize, upper), batchSize, cancellation, before);

    /// <summary>
    /// Up to <paramref name="limit"/> keys of pending rows, in no order: one statement that reads the table
    /// (sequentially, unless an index serves the pending predicate) and stops at the limit. Empty when no
    /// row is pending. After a pass, or after workers (<see cref="ParallelBackfill"/>), the few rows left
    /// are found this way instead of by walking every key again.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingKeysAsync(NpgsqlConnection connection, int limit)
    {
        await using var command = new NpgsqlCommand($"SELECT {KeyTexts} FROM {_table} WHERE ({_spec.Pending}) LIMIT @limit", connection);
        command.Parameters.AddWithValue("limit", limit);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(Encode(reader.GetFieldValue<string[]>(0)));
        }

        return keys;
    }

    /// <summary>
    /// One batch in the SKIP LOCKED form over the rows of exactly these <paramref name="keys"/> (stored
    /// keys, as <see cref="PendingKeysAsync"/> returns them) that are still pending; as
    /// <see cref="UpdateNextAsync"/> otherwise. The keys go as one text array per key column, cast back
    /// to the columns' types in the statement.
    /// </summary>
    public Task<(long Rows, string? High, bool Full)> UpdateKeysAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<string> keys, CancellationToken cancellation, IReadOnlyList<NpgsqlBatchCommand>? before = null) =>
        RunSkipLockedAsync(connection, tx, parameters =>
        {
            string[][] values = [.. keys.Select(Decode)];
            var columns = new List<string>();
            var casts = new List<string>();
            for (int i = 0; i < _key.Count; i++)
            {
                parameters.Add(new NpgsqlParameter<string[]>($"keys{i}", [.. values.Select(v => v[i])]));
                columns.Add($"@keys{i}");
                casts.Add($"CAST(u.c{i} AS {_key[i].Type})");
            }

            string names = string.Join(", ", Enumerable.Range(0, _key.Count).Select(i => $"c{i}"));
            string after = $"{Row} IN (SELECT {string.Join(", ", casts)} FROM unnest({string.Join(", ", columns)}) AS u({names})) AND ";
            parameters.AddWithValue("n", keys.Count);
            return BatchStatement.Sql(_table, [.. _key.Select(k => Quote(k.Name))], _spec.Set, _spec.Pending, after, "@n");
        }, keys.Count, cancellation, before);

    /// <summary>Runs a SKIP LOCKED batch statement (<see cref="BatchStatement"/>) after the commands to run
    /// first (the batch's SET LOCALs), in the same round trip.</summary>
    private async Task<(long Rows, string? High, bool Full)> RunSkipLockedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Func<NpgsqlParameterCollection, string> sql, int batchSize, CancellationToken cancellation, IReadOnlyList<NpgsqlBatchCommand>? before)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var command in before ?? [])
        {
            batch.BatchCommands.Add(command);
        }

        var update = new NpgsqlBatchCommand();
        update.CommandText = sql(update.Parameters);
        batch.BatchCommands.Add(update);

        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        long rows = reader.GetInt64(0), picked = reader.GetInt64(2);
        return (rows, rows == 0 ? null : Encode(reader.GetFieldValue<string[]>(1)), picked >= batchSize);
    }

    /// <summary>
    /// One batch in the key-range form (<see cref="KeyRangeStatement"/>): the upper key of the next
    /// <paramref name="batchSize"/> keys after <paramref name="last"/> (up to <paramref name="upper"/>), in
    /// the round trip of the commands to run first, then the UPDATE of the pending rows up to it. Returns
    /// the rows it updated, the upper key (null when no key is left in this pass) and whether the range
    /// held <paramref name="batchSize"/> keys (false at the end of the pass or of the worker's range). A row
    /// another transaction holds is waited for, within the lock_timeout the caller set.
    /// </summary>
    public async Task<(long Rows, string? High, bool Full)> UpdateRangeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? last, int batchSize, CancellationToken cancellation, string? upper = null, IReadOnlyList<NpgsqlBatchCommand>? before = null)
    {
        string? high;
        bool full;
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            foreach (var command in before ?? [])
            {
                batch.BatchCommands.Add(command);
            }

            var bound = new NpgsqlBatchCommand();
            bound.CommandText = KeyRangeStatement.Bound(_table, [.. _key.Select(k => Quote(k.Name))], KeyConditions(bound.Parameters, last, upper), "@skip");
            bound.Parameters.AddWithValue("skip", Math.Max(0, batchSize - 1));
            batch.BatchCommands.Add(bound);
            await using var reader = await batch.ExecuteReaderAsync(cancellation);
            if (!await reader.ReadAsync(cancellation))
            {
                return (0, null, false);
            }

            high = Encode(reader.GetFieldValue<string[]>(0));
            full = reader.GetBoolean(1);
        }

        await using var update = RangeCommand(connection, tx, last, high);
        long rows = await update.ExecuteNonQueryAsync(cancellation);
        return (rows, high, full);
    }

    /// <summary>The key-range UPDATE of the pending rows after <paramref name="last"/> up to
    /// <paramref name="high"/> (also what the plan-shape test EXPLAINs).</summary>
    internal NpgsqlCommand RangeCommand(NpgsqlConnection connection, NpgsqlTransaction? tx, string? last, string high)
    {
        var command = new NpgsqlCommand { Connection = connection, Transaction = tx };
        command.CommandText = KeyRangeStatement.Update(_table, _spec.Set, _spec.Pending, KeyConditions(command.Parameters, last, high));
        return command;
    }

    /// <summary>The conditions on the key, joined by AND: after <paramref name="last"/>, up to
    /// <paramref name="upper"/> (each when given); empty when neither is.</summary>
    private string KeyConditions(NpgsqlParameterCollection parameters, string? last, string? upper) =>
        string.Join(" AND ", new[]
        {
            last is null ? null : $"{Row} > {Bind(parameters, "last", last)}",
            upper is null ? null : $"{Row} <= {Bind(parameters, "upper", upper)}",
        }.OfType<string>());

    /// <summary>The batch statement with its parameters (also what the plan-shape test EXPLAINs). The
    /// ctids come from the one table this target updates (a partition is its own target), so a ctid
    /// can never match a row of another partition.</summary>
    internal NpgsqlCommand BatchCommand(NpgsqlConnection connection, NpgsqlTransaction? tx, string? last, int batchSize, string? upper = null)
    {
        var command = new NpgsqlCommand { Connection = connection, Transaction = tx };
        command.CommandText = BatchSql(command.Parameters, last, batchSize, upper);
        return command;
    }

    /// <summary>The batch statement's text, its parameters added to <paramref name="parameters"/>.</summary>
    private string BatchSql(NpgsqlParameterCollection parameters, string? last, int batchSize, string? upper)
    {
        string after = (last is null ? "" : $"{Row} > {Bind(parameters, "last", last)} AND ")
            + (upper is null ? "" : $"{Row} <= {Bind(parameters, "upper", upper)} AND ");
        parameters.AddWithValue("n", batchSize);
        return BatchStatement.Sql(_table, [.. _key.Select(k => Quote(k.Name))], _spec.Set, _spec.Pending, after, "@n");
    }

    /// <summary>The <paramref name="step"/>-th key after <paramref name="after"/> in key order, or null
    /// when fewer remain (to split the key space into ranges).</summary>
    public async Task<string?> KeyAfterAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string? after, long step)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = tx };
        string where = after is null ? "" : $"WHERE {Row} > {Bind(command.Parameters, "after", after)}";
        command.CommandText = $"SELECT {KeyTexts} FROM {_table} {where} ORDER BY {Columns} OFFSET @step LIMIT 1";
        command.Parameters.AddWithValue("step", step - 1);
        return await command.ExecuteScalarAsync() is string[] values ? Encode(values) : null;
    }

    /// <summary>Adds a stored key as parameters and returns the SQL that casts it back to the key's row.</summary>
    private string Bind(NpgsqlParameterCollection parameters, string name, string stored)
    {
        string[] values = Decode(stored);
        var casts = new List<string>();
        for (int i = 0; i < _key.Count; i++)
        {
            parameters.AddWithValue($"{name}{i}", values[i]);
            casts.Add($"CAST(@{name}{i} AS {_key[i].Type})");
        }

        return _key.Count == 1 ? casts[0] : $"({string.Join(", ", casts)})";
    }

    // A one-column key is stored as its text, as before composite keys existed; several as a JSON array.
    private string Encode(string[] values) => _key.Count == 1 ? values[0] : JsonSerializer.Serialize(values);

    private string[] Decode(string stored)
    {
        if (_key.Count == 1)
        {
            return [stored];
        }

        string[]? values = null;
        try
        {
            values = JsonSerializer.Deserialize<string[]>(stored);
        }
        catch (JsonException)
        {
        }

        return values is { Length: var n } && n == _key.Count
            ? values
            : throw new BackfillException($"the checkpoint of {Name} ({stored}) does not fit its key ({KeyColumns}); the key changed since the last run", isBadInput: true);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
