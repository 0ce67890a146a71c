using Dapper;
using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using System.Data.Common;

namespace Migrator.Ledger;

/// <summary>Reads and writes the ledger: changes, phases, deployments, checkpoints and history.</summary>
public sealed class LedgerStore(DbConnection connection, string schema)
{
    private readonly string _s = PgSql.Ident(schema);

    public DbConnection Connection { get; } = connection;

    /// <summary>False when a read-only session found no ledger in the database: every read returns
    /// nothing (no change has run, no version is registered), and nothing is created.</summary>
    public bool Exists { get; private set; } = true;

    /// <summary>For read-only commands: finds out whether the ledger exists, without creating or
    /// upgrading it, and refuses a ledger newer than this tool.</summary>
    public async Task ProbeAsync()
    {
        Exists = await Connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@layout) IS NOT NULL", new { layout = $"{_s}.layout" });
        if (!Exists)
        {
            return;
        }

        Layout = await Connection.ExecuteScalarAsync<int?>($"SELECT max(version) FROM {_s}.layout") ?? 0;
        RefuseNewer(Layout);
    }

    /// <summary>The ledger's layout version (after <see cref="EnsureAsync"/>, the current one).</summary>
    public int Layout { get; private set; } = LedgerLayout.Current;

    /// <summary>The recorded baseline, if the database was adopted with `baseline`.</summary>
    public async Task<BaselineRecord?> BaselineAsync()
    {
        if (!Exists || Layout < LedgerLayout.WithBaseline)
        {
            return null;
        }

        return await Connection.QuerySingleOrDefaultAsync<BaselineRecord>(
            $"SELECT checksum AS Checksum, file AS File, taken_at AS TakenAt, taken_by AS TakenBy, snapshot AS Snapshot FROM {_s}.baseline");
    }

    /// <summary>Records the baseline and makes it the expected schema, in one transaction.</summary>
    public async Task RecordBaselineAsync(string checksum, string file, string snapshot, string facts)
    {
        await using var tx = await Connection.BeginTransactionAsync();
        await Connection.ExecuteAsync(
            $"""
            INSERT INTO {_s}.baseline (checksum, file, snapshot) VALUES (@checksum, @file, @snapshot)
            ON CONFLICT (id) DO UPDATE SET checksum = excluded.checksum, file = excluded.file, snapshot = excluded.snapshot, taken_at = now(), taken_by = current_user
            """,
            new { checksum, file, snapshot }, tx);
        await RecordSchemaStateAsync("baseline", facts, tx);
        await tx.CommitAsync();
    }

    /// <summary>The schema as Migrator last left it (after the baseline or the latest phase), if recorded.</summary>
    public async Task<(string After, DateTime RecordedAt, string Snapshot)?> SchemaStateAsync()
    {
        if (!Exists || Layout < LedgerLayout.WithBaseline)
        {
            return null;
        }

        var rows = await Connection.QueryAsync<(string, DateTime, string)>($"SELECT after, recorded_at, snapshot FROM {_s}.schema_state");
        return rows.Select(r => ((string, DateTime, string)?)r).FirstOrDefault();
    }

    /// <summary>Records the schema as Migrator left it after <paramref name="after"/> (e.g. "expand 3").</summary>
    public Task RecordSchemaStateAsync(string after, string snapshot, DbTransaction? transaction = null) =>
        Connection.ExecuteAsync(
            $"""
            INSERT INTO {_s}.schema_state (after, snapshot) VALUES (@after, @snapshot)
            ON CONFLICT (id) DO UPDATE SET after = excluded.after, snapshot = excluded.snapshot, recorded_at = now()
            """,
            new { after, snapshot }, transaction);

    /// <summary>True when any phase of any change has run (the database is already managed by Migrator).</summary>
    public async Task<bool> AnyPhaseAsync() =>
        Exists && await Connection.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {_s}.phases)");

    private void RefuseNewer(int layout)
    {
        if (layout > LedgerLayout.Current)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"the ledger in schema '{Schema}' has layout {layout}, newer than this migrator's {LedgerLayout.Current}: upgrade the tool");
        }
    }

    /// <summary>Each change's backfill so far, for `status`, `gate` and a stopped backfill: rows done
    /// (summed over its tables' checkpoints, a partitioned table's own row only summing its partitions'),
    /// when it started and when a batch last saved.</summary>
    public async Task<IReadOnlyDictionary<long, (long Rows, DateTime Started, DateTime Updated)>> BackfillProgressAsync()
    {
        if (!Exists)
        {
            return new Dictionary<long, (long, DateTime, DateTime)>();
        }

        var rows = await Connection.QueryAsync<(long ChangeId, long Rows, DateTime Started, DateTime Updated)>(
            $"""
            SELECT change_id, coalesce(sum(rows_done) FILTER (WHERE passes > 0), 0)::bigint, min(started_at), max(updated_at)
            FROM {_s}.backfill_checkpoints GROUP BY change_id
            """);
        return rows.ToDictionary(r => r.ChangeId, r => (r.Rows, r.Started, r.Updated));
    }

    public string Schema { get; } = schema;

    /// <summary>Creates the ledger on first use and upgrades an older layout, in one transaction under a
    /// transaction-level advisory lock, so processes holding the ledger lock shared (backfills) cannot
    /// both create or upgrade it.</summary>
    public async Task EnsureAsync()
    {
        await using var tx = await Connection.BeginTransactionAsync();
        await Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('migrator layout ' || @schema, 0))", new { schema = Schema }, tx);
        await Connection.ExecuteAsync($"""
            CREATE SCHEMA IF NOT EXISTS {_s};
            CREATE TABLE IF NOT EXISTS {_s}.layout (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """, transaction: tx);
        int current = await Connection.ExecuteScalarAsync<int?>($"SELECT max(version) FROM {_s}.layout", transaction: tx) ?? 0;
        RefuseNewer(current);

        foreach (var (version, sql) in LedgerLayout.Upgrades(Schema, current))
        {
            await Connection.ExecuteAsync(sql, transaction: tx);
            await Connection.ExecuteAsync($"INSERT INTO {_s}.layout (version) VALUES (@version)", new { version }, tx);
        }

        await tx.CommitAsync();
    }

    public async Task RecordChangesAsync(IEnumerable<ChangePlan> plans)
    {
        foreach (var plan in plans)
        {
            await Connection.ExecuteAsync(
                $"INSERT INTO {_s}.changes (change_id, description, app_version) VALUES (@id, @description, @version) ON CONFLICT (change_id) DO NOTHING",
                new { id = plan.Id, description = plan.Change.Description, version = plan.Change.AppVersion.ToString() });
        }
    }

    public async Task<Dictionary<(long, Phase), PhaseRecord>> PhasesAsync()
    {
        if (!Exists)
        {
            return [];
        }

        var rows = await Connection.QueryAsync<(long ChangeId, string Phase, string Status, string Checksum, string Steps, int StepsDone, DateTime StartedAt, DateTime? FinishedAt, string? Error)>(
            $"SELECT change_id, phase, status, checksum, steps::text, steps_done, started_at, finished_at, error FROM {_s}.phases");
        return rows.Select(r => new PhaseRecord(r.ChangeId, Enum.Parse<Phase>(r.Phase, ignoreCase: true), r.Status, r.Checksum, r.Steps, r.StepsDone, r.StartedAt, r.FinishedAt, r.Error))
            .ToDictionary(r => (r.ChangeId, r.Phase));
    }

    public async Task<PhaseRecord?> PhaseAsync(long changeId, Phase phase) =>
        (await PhasesAsync()).GetValueOrDefault((changeId, phase));

    /// <summary>Records a phase starting from its first step, with the SQL it will run (a phase that
    /// failed before finishing any step starts over with the SQL as it is now).</summary>
    public Task StartPhaseAsync(long changeId, Phase phase, string checksum, string stepsJson) =>
        Connection.ExecuteAsync(
            $"""
            INSERT INTO {_s}.phases (change_id, phase, status, checksum, steps) VALUES (@changeId, @phase, 'running', @checksum, @steps::jsonb)
            ON CONFLICT (change_id, phase) DO UPDATE SET status = 'running', error = NULL,
                checksum = EXCLUDED.checksum, steps = EXCLUDED.steps, steps_done = 0, started_at = now()
            """,
            new { changeId, phase = Name(phase), checksum, steps = stepsJson });

    /// <summary>Marks one more step done; runs inside the step's own transaction when it has one.</summary>
    public Task StepDoneAsync(long changeId, Phase phase, int stepsDone, bool last, DbTransaction? transaction) =>
        Connection.ExecuteAsync(
            $"""
            UPDATE {_s}.phases SET steps_done = @stepsDone,
                status = CASE WHEN @last THEN 'done' ELSE status END,
                finished_at = CASE WHEN @last THEN now() ELSE finished_at END
            WHERE change_id = @changeId AND phase = @phase
            """,
            new { changeId, phase = Name(phase), stepsDone, last },
            transaction);

    public Task FinishPhaseAsync(long changeId, Phase phase, DbTransaction? transaction = null) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.phases SET status = 'done', finished_at = now(), error = NULL WHERE change_id = @changeId AND phase = @phase",
            new { changeId, phase = Name(phase) },
            transaction);

    /// <summary>Replaces the stored steps and checksum of a phase that stopped part-way (contract
    /// --replan), keeping the count of steps done; recorded in the history by the caller.</summary>
    public Task ReplanPhaseAsync(long changeId, Phase phase, string checksum, string stepsJson) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.phases SET checksum = @checksum, steps = @steps::jsonb, status = 'running', error = NULL WHERE change_id = @changeId AND phase = @phase",
            new { changeId, phase = Name(phase), checksum, steps = stepsJson });

    /// <summary>Marks a phase stopped by a signal (Ctrl-C, SIGTERM): not failed, resumable as it is.</summary>
    public Task StopPhaseAsync(long changeId, Phase phase, string detail) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.phases SET status = 'stopped', error = @detail WHERE change_id = @changeId AND phase = @phase AND status = 'running'",
            new { changeId, phase = Name(phase), detail });

    public Task FailPhaseAsync(long changeId, Phase phase, string error) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.phases SET status = 'failed', error = @error WHERE change_id = @changeId AND phase = @phase",
            new { changeId, phase = Name(phase), error });

    /// <summary>Forgets a change's expand, backfill and rollback once it is rolled back: it is pending
    /// again. Also finishes the cleanup of a rollback that completed just before a crash.</summary>
    public async Task ForgetRolledBackAsync()
    {
        await using var tx = await Connection.BeginTransactionAsync();
        await Connection.ExecuteAsync(
            $"""
            WITH done AS (SELECT change_id FROM {_s}.phases WHERE phase = 'rollback' AND status = 'done'),
            cleared AS (DELETE FROM {_s}.backfill_checkpoints WHERE change_id IN (SELECT change_id FROM done)),
            ranges AS (DELETE FROM {_s}.backfill_ranges WHERE change_id IN (SELECT change_id FROM done)),
            pacing AS (DELETE FROM {_s}.backfill_pacing WHERE change_id IN (SELECT change_id FROM done)),
            owned AS (DELETE FROM {_s}.owned_objects WHERE change_id IN (SELECT change_id FROM done))
            DELETE FROM {_s}.phases WHERE change_id IN (SELECT change_id FROM done)
            """,
            transaction: tx);
        await tx.CommitAsync();
    }

    /// <summary>Records objects a step created or renamed (in the step's transaction when it has one).</summary>
    public async Task RecordOwnedAsync(long changeId, Phase phase, IEnumerable<(string Identity, string How, string Description)> owned, DbTransaction? transaction)
    {
        foreach (var (identity, how, description) in owned)
        {
            await Connection.ExecuteAsync(
                $"""
                INSERT INTO {_s}.owned_objects (change_id, identity, how, description, phase) VALUES (@changeId, @identity, @how, @description, @phase)
                ON CONFLICT (change_id, identity) DO UPDATE SET description = EXCLUDED.description,
                    how = CASE WHEN {_s}.owned_objects.how = 'created' THEN 'created' ELSE EXCLUDED.how END
                """,
                new { changeId, identity, how, description, phase = Name(phase) },
                transaction);
        }
    }

    /// <summary>What the ledger proves a change created or renamed: identity → how.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OwnedAsync(long changeId, DbTransaction? transaction = null)
    {
        var rows = await Connection.QueryAsync<(string Identity, string How)>(
            $"SELECT identity, how FROM {_s}.owned_objects WHERE change_id = @changeId", new { changeId }, transaction);
        return rows.ToDictionary(r => r.Identity, r => r.How, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<Deployment>> DeploymentsAsync(bool liveOnly)
    {
        if (!Exists)
        {
            return [];
        }

        var rows = await Connection.QueryAsync<Deployment>(
            $"SELECT id, app_version AS AppVersion, slot, registered_at AS RegisteredAt, retired_at AS RetiredAt FROM {_s}.deployments"
            + (liveOnly ? " WHERE retired_at IS NULL" : "") + " ORDER BY registered_at, id");
        return [.. rows];
    }

    public Task RegisterAsync(string appVersion, string? slot, string? usageJson) =>
        Connection.ExecuteAsync(
            $"INSERT INTO {_s}.deployments (app_version, slot, usage) VALUES (@appVersion, @slot, @usage::jsonb)",
            new { appVersion, slot, usage = usageJson });

    /// <summary>The usage manifest (JSON) stored for each live version that has one.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LiveUsageAsync()
    {
        if (!Exists)
        {
            return new Dictionary<string, string>();
        }

        var rows = await Connection.QueryAsync<(string AppVersion, string Usage)>(
            $"SELECT app_version, usage::text FROM {_s}.deployments WHERE retired_at IS NULL AND usage IS NOT NULL");
        return rows.ToDictionary(r => r.AppVersion, r => r.Usage);
    }

    public Task UpdateUsageAsync(string appVersion, string usageJson) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.deployments SET usage = @usage::jsonb WHERE app_version = @appVersion AND retired_at IS NULL",
            new { appVersion, usage = usageJson });

    public Task UpdateSlotAsync(string appVersion, string slot) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.deployments SET slot = @slot WHERE app_version = @appVersion AND retired_at IS NULL",
            new { appVersion, slot });

    /// <summary>The manifest most recently stored for a version, live or retired, or null.</summary>
    public Task<string?> LastUsageAsync(string appVersion) =>
        Connection.ExecuteScalarAsync<string?>(
            $"SELECT usage::text FROM {_s}.deployments WHERE app_version = @appVersion AND usage IS NOT NULL ORDER BY id DESC LIMIT 1",
            new { appVersion });

    /// <summary>
    /// Serialises deploy register and retire among themselves (they hold the ledger lock only shared,
    /// so that they work while a backfill runs): a session advisory lock released on dispose.
    /// </summary>
    public async Task<IAsyncDisposable> DeploymentLockAsync()
    {
        await Connection.ExecuteAsync("SELECT pg_advisory_lock(hashtextextended('migrator deployments ' || @schema, 0))", new { schema = Schema });
        return new Release(async () => await Connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended('migrator deployments ' || @schema, 0))", new { schema = Schema }));
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await release();
            }
            catch (DbException)
            {
                // The connection is gone, and the session lock with it.
            }
        }
    }

    public Task<int> RetireAsync(string appVersion) =>
        Connection.ExecuteAsync(
            $"UPDATE {_s}.deployments SET retired_at = now() WHERE app_version = @appVersion AND retired_at IS NULL",
            new { appVersion });

    /// <summary>The holds placed and not released, oldest first.</summary>
    public async Task<IReadOnlyList<Hold>> HoldsAsync()
    {
        if (!Exists || Layout < LedgerLayout.WithHolds)
        {
            return [];
        }

        var rows = await Connection.QueryAsync<Hold>(
            $"SELECT name AS Name, change_id AS ChangeId, reason AS Reason, placed_at AS PlacedAt, placed_by AS PlacedBy FROM {_s}.holds WHERE released_at IS NULL ORDER BY placed_at, id");
        return [.. rows];
    }

    /// <summary>Places a hold; false when one of that name is already placed.</summary>
    public async Task<bool> PlaceHoldAsync(string name, long? changeId, string? reason) =>
        await Connection.ExecuteAsync(
            $"INSERT INTO {_s}.holds (name, change_id, reason) VALUES (@name, @changeId, @reason) ON CONFLICT (name) WHERE released_at IS NULL DO NOTHING",
            new { name, changeId, reason }) == 1;

    /// <summary>Releases a placed hold; false when none of that name is placed.</summary>
    public async Task<bool> ReleaseHoldAsync(string name) =>
        await Connection.ExecuteAsync($"UPDATE {_s}.holds SET released_at = now() WHERE name = @name AND released_at IS NULL", new { name }) == 1;

    public Task RecordHistoryAsync(string command, long? changeId, string outcome, string? detail) =>
        Connection.ExecuteAsync(
            $"INSERT INTO {_s}.history (host, command, change_id, outcome, detail) VALUES (@host, @command, @changeId, @outcome, @detail)",
            new { host = Environment.MachineName, command, changeId, outcome, detail });

    /// <summary>The audit trail, newest first: every command that wrote, refused or failed.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(long? changeId, int limit)
    {
        if (!Exists)
        {
            return [];
        }

        var rows = await Connection.QueryAsync<HistoryEntry>(
            $"""
            SELECT id AS Id, at AS At, actor AS Actor, host AS Host, command AS Command, change_id AS ChangeId, outcome AS Outcome, detail AS Detail
            FROM {_s}.history WHERE @changeId::bigint IS NULL OR change_id = @changeId ORDER BY id DESC LIMIT @limit
            """,
            new { changeId, limit });
        return [.. rows];
    }

    public static string Name(Phase phase) => phase.ToString().ToLowerInvariant();
}
