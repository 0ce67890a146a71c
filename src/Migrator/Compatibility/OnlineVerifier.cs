using System.Text.RegularExpressions;
using Migrator.Analyzers;
using Migrator.Authoring;
using Migrator.Planning;
using Npgsql;

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
    public static async Task<IReadOnlyList<Finding>> VerifyAsync(
        NpgsqlConnection connection,
        IReadOnlyList<ChangePlan> plans,
        Func<ChangePlan, ChangeState> state,
        IReadOnlyList<AppVersionUsage> versions,
        TimeSpan lockTimeout,
        CancellationToken cancellation,
        string ledgerSchema = "migrator")
    {
        var findings = new List<Finding>();
        int prepared = 0;
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        try
        {
            await Execute(connection, transaction, $"SET LOCAL lock_timeout = '{(int)lockTimeout.TotalMilliseconds}ms'", cancellation);

            // Contracts call the ledger's functions (HeldViews); the ledger may not exist yet here.
            await Dapper.SqlMapper.ExecuteAsync(connection, Dialects.Postgres.HeldViews.EnsureSql(ledgerSchema), transaction: transaction);
            foreach (var plan in plans)
            {
                var current = state(plan);
                foreach (var phase in new[] { Phase.Expand, Phase.Contract })
                {
                    bool pending = phase == Phase.Expand ? !current.IsExpanded() : current != ChangeState.Contracted;
                    if (!pending || plan.Steps(phase).Count == 0)
                    {
                        continue;
                    }

                    foreach (var statement in plan.Steps(phase).SelectMany(s => s.Statements).Where(s => !s.IsBoundary))
                    {
                        await Execute(connection, transaction, Concurrently().Replace(statement.Sql, " "), cancellation);
                    }

                    string phaseName = phase.ToString().ToLowerInvariant();
                    foreach (var version in versions.Where(v => v.Manifest is not null))
                    {
                        if (phase == Phase.Contract && version.Version.ComparePrecedenceTo(plan.Change.ContractAfter) < 0)
                        {
                            continue;
                        }

                        foreach (var usage in version.Manifest!.Statements.Where(s => s.Errors.Count == 0))
                        {
                            prepared++;
                            await Execute(connection, transaction, "SAVEPOINT migrator_verify", cancellation);
                            try
                            {
                                await PrepareOnlyAsync(connection, transaction, DapperParameters.ToPositional(usage.Sql), cancellation);
                                await Execute(connection, transaction, "RELEASE SAVEPOINT migrator_verify", cancellation);
                            }
                            catch (PostgresException e) when (e.SqlState != PostgresErrorCodes.LockNotAvailable && e.SqlState != "42P18")
                            {
                                await Execute(connection, transaction, "ROLLBACK TO SAVEPOINT migrator_verify", cancellation);
                                findings.Add(new Finding(RuleIds.VerifyFailed, Severity.Error,
                                    $"after {phaseName} of change {plan.Id}, PostgreSQL rejects this statement of {version}: {e.SqlState} {e.MessageText}")
                                {
                                    ChangeId = plan.Id,
                                    Phase = phaseName,
                                    AppVersion = version.ToString(),
                                    Location = usage.Location,
                                    Sql = usage.Sql,
                                });
                            }
                            catch (PostgresException e) when (e.SqlState == "42P18")
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
            connection.UnprepareAll();
        }

        return findings;
    }

    /// <summary>
    /// Plans one app statement without running it: a single protocol-level Parse (and Describe), sent
    /// by Npgsql as one batch command it never splits or rewrites. PostgreSQL itself refuses a Parse
    /// holding more than one statement ("cannot insert multiple commands into a prepared statement"),
    /// so text such as <c>SELECT 1; COMMIT; DROP TABLE t</c> can never execute here.
    /// </summary>
    private static async Task PrepareOnlyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { new NpgsqlBatchCommand(sql) } };
        await batch.PrepareAsync(cancellation);

        // Npgsql keeps prepared statements by their text: the same statement after a later phase must
        // be parsed again, against the schema as that phase leaves it.
        connection.UnprepareAll();
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    [GeneratedRegex(@"\bCONCURRENTLY\b", RegexOptions.IgnoreCase)]
    private static partial Regex Concurrently();
}
