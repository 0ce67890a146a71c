using System.Text.RegularExpressions;
using Migrator.Analyzers;
using Migrator.Authoring;
using Migrator.Planning;
using System.Data.Common;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Semver;

namespace Migrator.Compatibility;

/// <summary>
/// `plan --verify`: proves the checker's verdict on PostgreSQL itself. In one transaction that is always
/// rolled back, every pending phase's DDL is applied in order (CONCURRENTLY dropped, as a transaction
/// requires), and after each phase every statement of every app version that will be live then is
/// PREPAREd; PostgreSQL's own error for each statement that no longer plans becomes a finding. Nothing is
/// left behind: the transaction rolls back and the prepared statements are deallocated.
/// </summary>
public static partial class OnlineVerifier
{
    public static async Task<VerifyResult> VerifyAsync(
        DbConnection connection,
        IReadOnlyList<ChangePlan> plans,
        Func<ChangePlan, ChangeState> state,
        IReadOnlyList<AppVersionUsage> versions,
        TimeSpan lockTimeout,
        CancellationToken cancellation,
        string ledgerSchema = "migrator")
    {
        var findings = new List<Finding>();
        int prepared = 0, ddl = 0, phases = 0;
        var versionsChecked = new HashSet<string>(StringComparer.Ordinal);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        try
        {
            await Execute(connection, transaction, $"SET LOCAL lock_timeout = '{(int)lockTimeout.TotalMilliseconds}ms'", cancellation);

            // Contracts call the ledger's functions (HeldViews); the ledger may not exist yet here.
            await Dapper.SqlMapper.ExecuteAsync(connection, Dialects.Postgres.HeldViews.EnsureSql(ledgerSchema), transaction: transaction);
            SemVersion? oldestLive = null;
            foreach (var (plan, phase) in Order(plans, state))
            {
                var current = state(plan);
                if (phase == Phase.Contract && (oldestLive is null || plan.Change.ContractAfter.ComparePrecedenceTo(oldestLive) > 0))
                {
                    // From this contract on, no version older than its ContractAfter is live.
                    oldestLive = plan.Change.ContractAfter;
                }

                {
                    phases++;
                    foreach (var statement in plan.Steps(phase).SelectMany(s => s.Statements).Where(s => !s.IsBoundary))
                    {
                        ddl++;
                        if (phase == Phase.Expand)
                        {
                            await Execute(connection, transaction, Concurrently().Replace(statement.Sql, " "), cancellation);
                            continue;
                        }

                        // A contract validates rows (CHECK, NOT NULL, unique, foreign keys). Rows the
                        // backfill has not reached yet fail that here, and that is no fault of the plan:
                        // `gate` and `contract` check those preconditions once the backfill ran.
                        await Execute(connection, transaction, "SAVEPOINT migrator_verify_ddl", cancellation);
                        try
                        {
                            await Execute(connection, transaction, statement.Sql, cancellation);
                            await Execute(connection, transaction, "RELEASE SAVEPOINT migrator_verify_ddl", cancellation);
                        }
                        catch (DbException e) when (e.SqlState is not null && e.SqlState.StartsWith("23", StringComparison.Ordinal))
                        {
                            await Execute(connection, transaction, "ROLLBACK TO SAVEPOINT migrator_verify_ddl", cancellation);
                            bool backfilled = current >= ChangeState.Backfilled;
                            findings.Add(new Finding(RuleIds.VerifyFailed, backfilled ? Severity.Error : Severity.Info,
                                backfilled
                                    ? $"contract of change {plan.Id} will fail on today's rows: {e.SqlState} {PostgresErrorText.MessageText(e)}"
                                    : $"contract of change {plan.Id} not proven on today's rows, which wait for its backfill ({e.SqlState} {PostgresErrorText.MessageText(e)}); `gate` and `contract` check its preconditions after the backfill")
                            {
                                ChangeId = plan.Id,
                                Phase = phaseName(phase),
                                Sql = statement.Sql,
                            });
                        }
                    }

                    foreach (var version in versions.Where(v => v.Manifest is not null))
                    {
                        if (oldestLive is not null && version.Version.ComparePrecedenceTo(oldestLive) < 0)
                        {
                            continue;
                        }

                        versionsChecked.Add(version.ToString());
                        foreach (var usage in version.Manifest!.Statements.Where(s => s.Errors.Count == 0))
                        {
                            prepared++;
                            await Execute(connection, transaction, "SAVEPOINT migrator_verify", cancellation);
                            try
                            {
                                await PrepareOnlyAsync(connection, transaction, DapperParameters.ToPositional(usage.Sql), cancellation);
                                await Execute(connection, transaction, "RELEASE SAVEPOINT migrator_verify", cancellation);
                            }
                            catch (DbException e) when (e.SqlState is not null && e.SqlState != "55P03" && e.SqlState != "42P18")
                            {
                                await Execute(connection, transaction, "ROLLBACK TO SAVEPOINT migrator_verify", cancellation);
                                findings.Add(new Finding(RuleIds.VerifyFailed, Severity.Error,
                                    $"after {phaseName(phase)} of change {plan.Id}, PostgreSQL rejects this statement of {version}: {e.SqlState} {PostgresErrorText.MessageText(e)}")
                                {
                                    ChangeId = plan.Id,
                                    Phase = phaseName(phase),
                                    AppVersion = version.ToString(),
                                    Location = usage.Location,
                                    Sql = usage.Sql,
                                });
                            }
                            catch (DbException e) when (e.SqlState == "42P18")
                            {
                                // Indeterminate parameter type: PostgreSQL cannot plan it without the values' types; not a break.
                                await Execute(connection, transaction, "ROLLBACK TO SAVEPOINT migrator_verify", cancellation);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
            PreparedStatement.ForgetAll(connection);
        }

        return new VerifyResult(findings, phases, ddl, prepared, versionsChecked.Count);

        static string phaseName(Phase phase) => phase.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// The pending phases in the order a release runs them: every expand first (in change order), then
    /// the contracts; an expand that waits for an earlier change's contract (both alter one target) runs
    /// right after that contract.
    /// </summary>
    public static IReadOnlyList<(ChangePlan Plan, Phase Phase)> Order(IReadOnlyList<ChangePlan> plans, Func<ChangePlan, ChangeState> state)
    {
        var order = new List<(ChangePlan, Phase)>();
        var contractPending = plans.Where(p => state(p) != ChangeState.Contracted && p.Contract.Count > 0).Select(p => p.Id).ToHashSet();
        var deferred = new List<ChangePlan>();
        foreach (var plan in plans.Where(p => !state(p).IsExpanded() && p.Expand.Count > 0))
        {
            if (plan.WaitsFor.Any(w => contractPending.Contains(w.Id)))
            {
                deferred.Add(plan);
            }
            else
            {
                order.Add((plan, Phase.Expand));
            }
        }

        foreach (var plan in plans.Where(p => contractPending.Contains(p.Id)))
        {
            order.Add((plan, Phase.Contract));
            contractPending.Remove(plan.Id);
            foreach (var ready in deferred.Where(d => !d.WaitsFor.Any(w => contractPending.Contains(w.Id))).ToList())
            {
                order.Add((ready, Phase.Expand));
                deferred.Remove(ready);
            }
        }

        order.AddRange(deferred.Select(d => (d, Phase.Expand)));
        return order;
    }

    /// <summary>Plans one app statement without running it (<see cref="PreparedStatement.PrepareOnlyAsync"/>:
    /// one protocol-level Parse, which PostgreSQL refuses for more than one statement).</summary>
    private static Task PrepareOnlyAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellation) =>
        PreparedStatement.PrepareOnlyAsync(connection, transaction, sql, cancellation);

    private static async Task Execute(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellation)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellation);
    }

    [GeneratedRegex(@"\bCONCURRENTLY\b", RegexOptions.IgnoreCase)]
    private static partial Regex Concurrently();
}
