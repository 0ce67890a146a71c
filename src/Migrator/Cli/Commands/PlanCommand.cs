using System.CommandLine;
using Migrator.Authoring;
using Migrator.Cli;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Planning;
using Migrator.Reports;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`plan`: every change's phases with their SQL and what may run now. Needs no database;
/// with a connection it adds each change's state from the ledger.</summary>
public static class PlanCommand
{
    private static readonly Option<string?> SchemaFile = new("--schema-file")
    {
        Description = "Also write migrator-schema.txt for the app-code analyzers (tables and columns once expanded, and what pending contracts remove)",
    };

    private static readonly Option<bool> Verify = new("--verify")
    {
        Description = "Prove it on the database: apply each pending phase in a transaction that is rolled back and PREPARE every app statement after it",
    };

    public static Command Create(CliContext cli)
    {
        var command = new Command("plan", "Show each change's phases, their SQL, what may run now, and what each phase would break (no database needed)") { Verify, SchemaFile };
        ReportOptions.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            ReportOptions.CheckOutput(parse);
            await using var session = CliSession.Load(cli, parse);
            Func<ChangePlan, ChangeState>? state = null;
            IReadOnlyList<Deployment> live = [];
            IReadOnlyList<Hold> holds = [];
            VisibleSchema? schema = null;
            bool verify = parse.GetValue(Verify);
            if (verify && session.ConnectionString is null)
            {
                throw new MigratorException(ExitCodes.BadInput, "--verify needs a database: give --connection (or MIGRATOR_CONNECTION)");
            }

            if (session.ConnectionString is not null)
            {
                await session.ConnectReadOnlyAsync(cancellation);
                state = await session.StatesAsync();
                live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
                holds = await session.RequireLedger.HoldsAsync();
                schema = await CompatibilityInputs.LiveSchemaAsync(session);
            }

            var versions = await CompatibilityInputs.VersionsAsync(session, ReportOptions.Manifests(parse), []);
            // The checker and the hazard rules read each phase with the engine's own grammar (T-SQL
            // through ScriptDom on SQL Server) and apply that engine's rules.
            var findings = CompatibilityChecker.Check(session.Plans, state, versions, schema, session.Dialect).ToList();
            if (state is not null)
            {
                // With a connection: the table's own triggers each pending backfill will fire.
                foreach (var plan in session.Plans.Where(p => p.HasBackfill && state(p) < ChangeState.Backfilled))
                {
                    foreach (var spec in plan.Backfills)
                    {
                        var triggers = await UserTriggers.OnUpdateAsync(session.RequireLedger.Connection, spec);
                        if (triggers.Count > 0)
                        {
                            string always = triggers.Any(t => t.Always) ? $"; {string.Join(", ", triggers.Where(t => t.Always).Select(t => t.Name))} (ENABLE ALWAYS) fire(s) even then" : "";
                            findings.Add(new Finding(Analyzers.RuleIds.UserTriggersFire, Severity.Warning,
                                $"the backfill of change {plan.Id} fires trigger(s) {string.Join(", ", triggers.Select(t => t.Name))} of {spec.Schema}.{spec.Table} on every row it updates: `backfill --skip-user-triggers` keeps them from firing on its writes{always}")
                            {
                                ChangeId = plan.Id,
                                Phase = "backfill",
                            });
                        }
                    }
                }

                // With a connection: holds that keep a pending contract waiting.
                foreach (var plan in session.Plans.Where(p => state(p) < ChangeState.Contracting && p.Contract.Count > 0))
                {
                    foreach (var hold in holds.Where(h => h.Holds(plan.Id)))
                    {
                        findings.Add(new Finding(Analyzers.RuleIds.ContractWaits, Severity.Info,
                            $"contract of change {plan.Id} waits on {hold}: `dotnet migrator deploy hold release {hold.Name}` lets it run")
                        {
                            ChangeId = plan.Id,
                            Phase = "contract",
                        });
                    }
                }

                // With a connection: drift from the schema Migrator recorded (baseline or last phase).
                var drift = await session.DriftAsync(cancellation);
                if (drift.BaselineMismatch is { } mismatch)
                {
                    findings.Add(new Finding(Analyzers.RuleIds.SchemaDrift, Severity.Error, mismatch));
                }

                foreach (var item in drift.Items)
                {
                    var blocked = session.Plans.FirstOrDefault(p => !state(p).IsExpanded() && DriftCheck.Touching([item], p.Targets).Count > 0);
                    findings.Add(new Finding(Analyzers.RuleIds.SchemaDrift, blocked is null ? Severity.Warning : Severity.Error,
                        $"drift since {drift.After}: {item}" + (blocked is null ? "" : $"; change {blocked.Id} alters this table, so its expand is refused"))
                    {
                        ChangeId = blocked?.Id,
                        Phase = blocked is null ? null : "expand",
                    });
                }

                // With a connection: what in the database depends on what each pending contract drops.
                foreach (var plan in session.Plans.Where(p => state(p) < ChangeState.Contracting && p.Contract.Count > 0))
                {
                    foreach (var found in await DependentObjects.FindAsync(session.RequireLedger.Connection, plan.Contract, session.Config.LedgerSchema))
                    {
                        if (found.Blocking.Count > 0)
                        {
                            findings.Add(new Finding(Analyzers.RuleIds.DependentObjects, Severity.Error,
                                $"contract of change {plan.Id} drops or retypes {found.Target}, which {string.Join(", ", found.Blocking)} depend(s) on: move them to the new shape or drop them before the contract")
                            {
                                ChangeId = plan.Id,
                                Phase = "contract",
                            });
                        }

                        if (found.DroppedAlong.Count > 0)
                        {
                            findings.Add(new Finding(Analyzers.RuleIds.DependentObjects, Severity.Warning,
                                $"contract of change {plan.Id} drops {string.Join(", ", found.DroppedAlong)} with {found.Target} (PostgreSQL drops a column's own indexes and constraints with it): create what the new shape still needs in a later change")
                            {
                                ChangeId = plan.Id,
                                Phase = "contract",
                            });
                        }

                        if (found.Recreated.Count > 0)
                        {
                            bool materialized = found.Recreated.Any(r => r.StartsWith("materialized", StringComparison.Ordinal));
                            findings.Add(new Finding(Analyzers.RuleIds.DependentObjects, materialized ? Severity.Warning : Severity.Info,
                                $"contract of change {plan.Id} recreates {string.Join(", ", found.Recreated)} on the column replacing {found.Target}, in the same transaction"
                                + (materialized ? "; a materialized view is filled again by its query while the table is locked, so that query's time adds to the contract's lock" : ""))
                            {
                                ChangeId = plan.Id,
                                Phase = "contract",
                            });
                        }
                    }
                }
            }

            VerifyResult? verified = null;
            if (verify)
            {
                verified = await OnlineVerifier.VerifyAsync(session.RequireLedger.Connection, session.Plans, state!, versions, session.Execution.LockTimeout, cancellation, session.Config.LedgerSchema);
                findings.AddRange(verified.Findings);
            }

            if (parse.GetValue(SchemaFile) is { } schemaFile)
            {
                File.WriteAllText(schemaFile, SchemaFileWriter.Write(session.Plans, state));
            }

            var report = new PlanReport("plan", session.Plans, state, versions, findings) { Verification = verified, RuleDocsUrl = session.Config.RuleDocsUrl };
            ReportWriter.Write(cli, report, parse.GetValue(ReportOptions.Format)!, parse.GetValue(ReportOptions.Output), () => Render(cli, session.Plans, state, live, holds, session.Execution));
            await session.HistoryAsync("plan", null, report.Safe ? "ok" : "unsafe", report.Summary);
            return report.ExitCode;
        });
        return command;
    }

    public static void Render(CliContext cli, IReadOnlyList<ChangePlan> plans, Func<ChangePlan, ChangeState>? state, IReadOnlyList<Deployment> live, IReadOnlyList<Hold>? holds = null, ExecutionOptions? execution = null)
    {
        var unsettled = state is null ? null : plans.Where(p => !state(p).IsSettled(p)).Select(p => p.Id).ToHashSet();
        var summary = new CliTable("Changes", "Id", "Description", "App version", "State", "May run now");
        foreach (var plan in plans)
        {
            string label = state is null ? "unknown (no database)" : state(plan).Label();
            string next = state is null ? "expand, once it is pending" : NextStep.Describe(plan, state(plan), live, unsettled, holds);
            summary.AddRow(plan.Id.ToString(), plan.Change.Description, plan.Change.AppVersion.ToString(), label, next);
        }

        summary.Write(cli);
        foreach (var plan in plans)
        {
            cli.Line();
            cli.Line($"== change {plan.Id} ({plan.Change.Name}): {plan.Change.Description}");
            cli.Line($"   needed by app {plan.Change.AppVersion}; contract once no live version is older than {plan.Change.ContractAfter}");
            foreach (var operation in plan.Operations)
            {
                cli.Line($"   operation: {operation}");
            }

            WriteSteps(cli, execution ?? ExecutionOptions.Default, "expand", plan.Expand);
            cli.Line(plan.HasBackfill ? "-- backfill" : "-- backfill: nothing to do");
            foreach (var spec in plan.Backfills)
            {
                cli.Line($"   table {spec.Schema}.{spec.Table}, keyset batches on {spec.Key ?? "the primary key"}");
                cli.Line($"   UPDATE … SET {spec.Set}");
                cli.Line($"   rows to do: {spec.Pending}");
            }

            WriteSteps(cli, execution ?? ExecutionOptions.Default, "contract", plan.Contract);
            if (plan.RollbackUnavailable is { } why)
            {
                cli.Line($"-- rollback: not possible ({why})");
            }
            else
            {
                WriteSteps(cli, execution ?? ExecutionOptions.Default, "rollback", plan.Rollback);
            }

            foreach (var (id, target) in plan.WaitsFor)
            {
                cli.Line($"   waits for change {id}: both alter {target}; expands once {id} is settled");
            }
        }
    }

    private static void WriteSteps(CliContext cli, ExecutionOptions execution, string phase, IReadOnlyList<PhaseStep> steps)
    {
        if (steps.Count == 0)
        {
            cli.Line($"-- {phase}: nothing to do");
            return;
        }

        for (int i = 0; i < steps.Count; i++)
        {
            // What the executor sets around the step (SET LOCAL in a transaction, SET … RESET alone).
            string timeout = execution.StatementTimeout(steps[i]) is { } t ? $"{t.TotalMilliseconds:0}ms" : "none";
            string how = $"{(steps[i].Transactional ? "one transaction" : "outside a transaction")}, lock_timeout {execution.LockTimeout.TotalMilliseconds:0}ms, statement_timeout {timeout}";
            cli.Line($"-- {phase} step {i + 1}/{steps.Count} ({how})");
            foreach (var statement in steps[i].Statements)
            {
                cli.Line(statement.Sql);
            }
        }
    }
}
