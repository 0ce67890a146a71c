using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Ledger;
using Migrator.Planning;
using System.Data.Common;

namespace Migrator.Execution;

/// <summary>
/// Runs the expand or contract steps of one change on PostgreSQL. Each step runs in one transaction
/// with SET LOCAL lock_timeout (or, for CREATE INDEX CONCURRENTLY and the like, alone with a session
/// lock_timeout), is retried with backoff and jitter on lock_not_available (55P03), and is recorded in
/// the ledger in the same transaction. A failed step leaves nothing of itself behind (an INVALID index
/// of a failed concurrent build is dropped), and a re-run resumes at the first unfinished step.
/// </summary>
public sealed class PhaseExecutor(LedgerStore ledger, ExecutionOptions options, Action<string>? log = null)
{
    private const string LockNotAvailable = "55P03";
    private readonly Action<string> _log = log ?? (_ => { });

    private DbConnection Connection => ledger.Connection;

    /// <summary>With true, a phase that stopped part-way after its change was edited continues with
    /// the edited steps that have not run yet (the steps that did run must be unchanged).</summary>
    public bool Replan { get; init; }

    /// <summary>Set when <see cref="Replan"/> replaced the stored steps: "old checksum → new checksum".</summary>
    public string? Replanned { get; private set; }

    /// <summary>Runs the phase; returns false when it was already done (nothing ran).</summary>
    public async Task<bool> RunAsync(ChangePlan plan, Phase phase, CancellationToken cancellation = default)
    {
        var record = await ledger.PhaseAsync(plan.Id, phase);
        string checksum = plan.Checksum(phase);
        if (record is { IsDone: true })
        {
            if (record.Checksum != checksum)
            {
                _log($"warning: change {plan.Id} {LedgerStore.Name(phase)} was done with other SQL (checksum {record.Checksum[..12]}, now {checksum[..12]}): the change was edited after it ran");
            }

            return false;
        }

        IReadOnlyList<PhaseStep> steps = plan.Steps(phase);
        if (phase == Phase.Rollback && record is null && !await ExpandLeftAnythingAsync(plan.Id))
        {
            // The expand committed no step and built nothing: there is nothing of this change to undo,
            // and a rollback must not touch objects that were there before it.
            _log($"  change {plan.Id}'s expand committed nothing: nothing to undo");
            steps = [];
        }

        int start = 0;
        if (record is not null && record.StepsDone > 0)
        {
            // Resume with the statements that were started, not a possibly edited version of them,
            // unless --replan asks for the edited steps that have not run yet.
            steps = Deserialize(record.Steps);
            start = record.StepsDone;
            if (record.Checksum != checksum && Replan)
            {
                steps = await ReplanAsync(plan, phase, record, steps, checksum);
            }
            else if (record.Checksum != checksum)
            {
                _log($"warning: change {plan.Id} {LedgerStore.Name(phase)} was edited after it started; resuming with the SQL it started with (--replan runs the edited steps that have not run yet)");
            }
        }
        else
        {
            await ledger.StartPhaseAsync(plan.Id, phase, checksum, Serialize(steps));
        }

        if (steps.Count == 0)
        {
            await ledger.FinishPhaseAsync(plan.Id, phase);
            return true;
        }

        for (int i = start; i < steps.Count; i++)
        {
            try
            {
                await RunStepAsync(plan.Id, phase, steps[i], i, last: i == steps.Count - 1, cancellation);
            }
            catch (DbException e) when (e.SqlState is not null)
            {
                string message = $"change {plan.Id} {LedgerStore.Name(phase)} step {i + 1}/{steps.Count} failed: {PostgresErrorText.Describe(e)}";
                await ledger.FailPhaseAsync(plan.Id, phase, message);
                throw new MigratorException(ExitCodes.DatabaseError, message, e);
            }
        }

        return true;
    }

    /// <summary>
    /// The edited plan's steps from the first one that has not run: refused (exit 2) unless the steps
    /// that already ran are exactly the edited plan's first steps, so nothing that ran is re-run or
    /// skipped. The stored steps and checksum are replaced in the ledger.
    /// </summary>
    private async Task<IReadOnlyList<PhaseStep>> ReplanAsync(ChangePlan plan, Phase phase, PhaseRecord record, IReadOnlyList<PhaseStep> stored, string checksum)
    {
        var edited = plan.Steps(phase);
        for (int i = 0; i < record.StepsDone; i++)
        {
            if (i >= edited.Count || !Same(stored[i], edited[i]))
            {
                throw new MigratorException(ExitCodes.BadInput,
                    $"cannot re-plan change {plan.Id} {LedgerStore.Name(phase)}: the edit changes step {i + 1}, which already ran; undo that part of the edit, or write a new change");
            }
        }

        if (edited.Count <= record.StepsDone)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"cannot re-plan change {plan.Id} {LedgerStore.Name(phase)}: the edited phase has {edited.Count} step(s) and {record.StepsDone} already ran");
        }

        await ledger.ReplanPhaseAsync(plan.Id, phase, checksum, Serialize(edited));
        Replanned = $"{record.Checksum[..12]} → {checksum[..12]} from step {record.StepsDone + 1}";
        _log($"  re-planned change {plan.Id} {LedgerStore.Name(phase)} {Replanned}");
        return edited;
    }

    private static bool Same(PhaseStep a, PhaseStep b) =>
        a.Statements.Count == b.Statements.Count && a.Statements.Zip(b.Statements).All(p => p.First.Sql == p.Second.Sql && p.First.Transactional == p.Second.Transactional);

    /// <summary>Objects the ledger proves this run kept because the change did not create them.</summary>
    public IReadOnlyList<string> Kept => _kept;

    private readonly List<string> _kept = [];

    private async Task<bool> ExpandLeftAnythingAsync(long changeId)
    {
        var expand = await ledger.PhaseAsync(changeId, Phase.Expand);
        return expand is { StepsDone: > 0 } || (await ledger.OwnedAsync(changeId)).Count > 0;
    }

    /// <summary>
    /// For a rollback step: which of its statements may run. A statement with a guard runs only when
    /// its object exists and the ledger proves this change created (or renamed) it; the others are
    /// skipped and the object is kept. Evaluated once, before the step's first statement.
    /// </summary>
    private async Task<IReadOnlyList<PlannedStatement>> AllowedAsync(long changeId, Phase phase, IReadOnlyList<PlannedStatement> statements, DbTransaction? tx)
    {
        if (phase != Phase.Rollback || statements.All(s => s.Guard is null))
        {
            return statements;
        }

        var owned = await ledger.OwnedAsync(changeId, tx);
        var allowed = new List<PlannedStatement>(statements.Count);
        foreach (var statement in statements)
        {
            if (statement.Guard is not { } guard)
            {
                allowed.Add(statement);
                continue;
            }

            string? identity = await CatalogIdentity.ResolveAsync(Connection, tx, guard);
            if (identity is null)
            {
                continue; // already gone
            }

            bool building = guard.Kind == OwnedObjectKind.Relation && owned.ContainsKey(CatalogIdentity.Building(PgSql.Qualified(guard.Schema, guard.Name)));
            if (owned.ContainsKey(identity) || building)
            {
                allowed.Add(statement);
            }
            else
            {
                _kept.Add(guard.ToString());
                _log($"  kept {guard}: change {changeId} did not create it");
            }
        }

        return allowed;
    }

    private async Task RunStepAsync(long changeId, Phase phase, PhaseStep step, int index, bool last, CancellationToken cancellation)
    {
        int spent = 0, cancels = 0;
        var waitedForVacuum = TimeSpan.Zero;
        for (int attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                if (step.Transactional)
                {
                    await RunInTransactionAsync(changeId, phase, step, index, last, cancellation);
                }
                else
                {
                    await RunAloneAsync(changeId, phase, step.Statements[0], index, last, cancellation);
                }

                _log($"  step {index + 1} done in {clock.ElapsedMilliseconds} ms{(attempt > 1 ? $" (attempt {attempt})" : "")}");
                return;
            }
            catch (DbException e) when (e.SqlState == LockNotAvailable)
            {
                // Autovacuum yields its lock only to a waiter that waits longer than deadlock_timeout,
                // and our lock_timeout is shorter: name it as the blocker and deal with it rather than
                // spend retries on it (docs/architecture.md, "Autovacuum").
                if (await AutovacuumBlockerAsync(step) is { } vacuum)
                {
                    if (cancels < 10 && await TryCancelAsync(vacuum.Pid))
                    {
                        cancels++;
                        _log($"  step {index + 1}: cancelled autovacuum (pid {vacuum.Pid}) on {vacuum.Table}, which held the lock; PostgreSQL runs it again later (no retry spent)");
                        continue;
                    }

                    if (waitedForVacuum < options.AutovacuumWait)
                    {
                        var pause = TimeSpan.FromSeconds(1);
                        waitedForVacuum += pause + options.LockTimeout;
                        _log($"  step {index + 1}: autovacuum (pid {vacuum.Pid}) holds {vacuum.Table} and this role may not cancel it; waiting (no retry spent, {waitedForVacuum.TotalSeconds:0} s of {options.AutovacuumWait.TotalSeconds:0} s)");
                        await Task.Delay(pause, cancellation);
                        continue;
                    }
                }

                if (++spent >= options.LockRetries)
                {
                    throw;
                }

                var delay = options.Backoff(spent);
                _log($"  step {index + 1}: lock not available within {options.LockTimeout.TotalMilliseconds:0} ms, retry {spent}/{options.LockRetries - 1} in {delay.TotalMilliseconds:0} ms");
                await Task.Delay(delay, cancellation);
            }
        }
    }

    /// <summary>An autovacuum worker holding a lock on a table the step names, or null.</summary>
    private async Task<(int Pid, string Table)?> AutovacuumBlockerAsync(PhaseStep step)
    {
        var holders = await Connection.QueryAsync<(int Pid, string Schema, string Table)>(
            """
            SELECT l.pid, n.nspname::text, c.relname::text
            FROM pg_locks l
            JOIN pg_stat_activity a ON a.pid = l.pid
            JOIN pg_class c ON c.oid = l.relation
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE l.granted AND l.locktype = 'relation'
              -- A role without pg_read_all_stats sees NULL backend_type for others' processes; of the
              -- processes without a user, only autovacuum workers lock user tables.
              AND (a.backend_type = 'autovacuum worker' OR (a.backend_type IS NULL AND a.usesysid IS NULL))
            """);
        string sql = string.Join("\n", step.Statements.Select(s => s.Sql));
        foreach (var (pid, schema, table) in holders)
        {
            if (sql.Contains(PgSql.Ident(table), StringComparison.Ordinal)
                || System.Text.RegularExpressions.Regex.IsMatch(sql, $@"(?<![\w""$]){System.Text.RegularExpressions.Regex.Escape(table)}(?![\w""$])"))
            {
                return (pid, schema + "." + table);
            }
        }

        return null;
    }

    /// <summary>Cancels a backend if this role may (a superuser may cancel autovacuum); false otherwise.</summary>
    private async Task<bool> TryCancelAsync(int pid)
    {
        try
        {
            return await Connection.ExecuteScalarAsync<bool>("SELECT pg_cancel_backend(@pid)", new { pid });
        }
        catch (DbException e) when (e.SqlState == "42501")
        {
            return false;
        }
    }

    private async Task RunInTransactionAsync(long changeId, Phase phase, PhaseStep step, int index, bool last, CancellationToken cancellation)
    {
        await using var tx = await Connection.BeginTransactionAsync(cancellation);
        await Connection.ExecuteAsync($"SET LOCAL lock_timeout = '{(int)options.LockTimeout.TotalMilliseconds}ms'", transaction: tx);
        await Connection.ExecuteAsync($"SET LOCAL statement_timeout = '{(int)(options.StatementTimeout(step)?.TotalMilliseconds ?? 0)}ms'", transaction: tx);
        var statements = await AllowedAsync(changeId, phase, step.Statements, tx);
        var before = await CatalogIdentity.ReadAsync(Connection, tx);
        foreach (var statement in statements)
        {
            await using var command = Connection.CreateCommand();
            command.CommandText = statement.Sql;
            command.Transaction = tx;
            await command.ExecuteNonQueryAsync(cancellation);
        }

        // What this step created or renamed, proven in its own transaction: a rollback may later undo
        // exactly these objects and nothing else.
        var after = await CatalogIdentity.ReadAsync(Connection, tx, writtenByThisTransaction: true);
        await ledger.RecordOwnedAsync(changeId, phase, CatalogIdentity.Diff(before, after), tx);
        await ledger.StepDoneAsync(changeId, phase, index + 1, last, tx);
        await tx.CommitAsync(cancellation);
    }

    private async Task RunAloneAsync(long changeId, Phase phase, PlannedStatement statement, int index, bool last, CancellationToken cancellation)
    {
        var timeout = options.StatementTimeout(new PhaseStep([statement]));
        if ((await AllowedAsync(changeId, phase, [statement], null)).Count == 0)
        {
            await ledger.StepDoneAsync(changeId, phase, index + 1, last, null);
            return;
        }

        await Connection.ExecuteAsync($"SET lock_timeout = '{(int)options.LockTimeout.TotalMilliseconds}ms'");
        await Connection.ExecuteAsync($"SET statement_timeout = '{(int)(timeout?.TotalMilliseconds ?? 0)}ms'");
        try
        {
            if (statement.IndexBuilt is { } built)
            {
                bool ours = (await ledger.OwnedAsync(changeId)).ContainsKey(CatalogIdentity.Building(built));
                switch (await IndexValidAsync(built))
                {
                    case true when ours:
                        // A crash after a concurrent build but before the ledger noted it: the index is there and valid.
                        await RecordBuiltAsync(changeId, phase, built);
                        await ledger.StepDoneAsync(changeId, phase, index + 1, last, null);
                        return;
                    case false when ours:
                        // An earlier attempt left an INVALID index (its cleanup may itself have timed out).
                        _log($"  dropping the INVALID index {built} left by an earlier attempt");
                        await Connection.ExecuteAsync($"DROP INDEX CONCURRENTLY IF EXISTS {built}");
                        break;
                    case null:
                        // Noted before the build starts, so a crash mid-build still proves the index is ours.
                        await ledger.RecordOwnedAsync(changeId, phase, [(CatalogIdentity.Building(built), "building", "index " + built)], null);
                        break;
                }
            }

            try
            {
                await using var command = Connection.CreateCommand();
                command.CommandText = statement.Sql;
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellation);
            }
            catch (DbException e) when (e.SqlState is not null && statement.IndexBuilt is not null)
            {
                await DropInvalidIndexAsync(changeId, statement.IndexBuilt);
                throw;
            }

            if (statement.IndexBuilt is { } done)
            {
                await RecordBuiltAsync(changeId, phase, done);
            }
        }
        finally
        {
            await Connection.ExecuteAsync("RESET lock_timeout; RESET statement_timeout");
        }

        await ledger.StepDoneAsync(changeId, phase, index + 1, last, null);
    }

    private async Task RecordBuiltAsync(long changeId, Phase phase, string index)
    {
        string? identity = await Connection.ExecuteScalarAsync<string?>("SELECT 'rel:' || to_regclass(@index)::oid", new { index });
        if (identity is not null)
        {
            await ledger.RecordOwnedAsync(changeId, phase, [(identity, "created", "index " + index)], null);
        }
    }

    /// <summary>Best effort: drops the INVALID index a failed concurrent build of this change left
    /// (never one it did not start). If that cannot get its lock now either, the next attempt (or run)
    /// drops it before building again.</summary>
    private async Task DropInvalidIndexAsync(long changeId, string index)
    {
        try
        {
            bool ours = (await ledger.OwnedAsync(changeId)).ContainsKey(CatalogIdentity.Building(index));
            if (ours && await IndexValidAsync(index) == false)
            {
                _log($"  dropping the INVALID index {index} left by the failed concurrent build");
                await Connection.ExecuteAsync($"DROP INDEX CONCURRENTLY IF EXISTS {index}");
            }
        }
        catch (DbException e) when (e.SqlState == LockNotAvailable)
        {
            _log($"  the INVALID index {index} could not be dropped yet (lock not available); the next attempt drops it");
        }
    }

    /// <summary>True if the index exists and is valid, false if it exists and is INVALID, null if absent.</summary>
    private async Task<bool?> IndexValidAsync(string qualifiedName) =>
        await Connection.ExecuteScalarAsync<bool?>(
            "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(@name)", new { name = qualifiedName });

    internal static string Serialize(IReadOnlyList<PhaseStep> steps) =>
        JsonSerializer.Serialize(steps.Select(s => s.Statements.Select(x => new StoredStatement(x.Sql, x.Transactional, x.IndexBuilt, x.Guard)).ToArray()).ToArray());

    public static IReadOnlyList<PhaseStep> Deserialize(string json) =>
        [.. JsonSerializer.Deserialize<StoredStatement[][]>(json)!.Select(s => new PhaseStep([.. s.Select(x => new PlannedStatement(x.Sql, x.Transactional, x.IndexBuilt) { Guard = x.Guard })]))];

    private sealed record StoredStatement(string Sql, bool Transactional, string? IndexBuilt, OwnedObject? Guard = null);
}
