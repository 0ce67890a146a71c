using Migrator.Dialects.Postgres;
using Migrator.Execution;
using System.CommandLine;
using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`contract`: the destructive phase, only once the backfill is verified complete and no live
/// version is older than the change's ContractAfter (or with --force, which names whom it breaks).</summary>
public static class ContractCommand
{
    private static readonly Option<bool> Force = new("--force") { Description = "Contract even though live versions still need the old shape (recorded in the history)" };
    private static readonly Option<bool> Replan = new("--replan") { Description = "For a contract that stopped part-way and whose change was edited since: run the edited steps that have not run yet (recorded in the history)" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("contract", "Run the contract phase (drop the old shape) of changes no live version needs any more") { CommonOptions.Change, Force, Replan };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            long? only = parse.GetValue(CommonOptions.Change);
            bool force = parse.GetValue(Force);
            var selected = session.Selected(only);
            await session.ConnectAsync(cancellation);
            var states = await session.StatesAsync();
            var live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
            var holds = await session.RequireLedger.HoldsAsync();
            var retired = (await session.RequireLedger.DeploymentsAsync(liveOnly: false)).Where(d => !d.IsLive).ToList();
            var now = await Dapper.SqlMapper.ExecuteScalarAsync<DateTime>(session.RequireLedger.Connection, "SELECT now()");
            var window = TimeSpan.FromSeconds(session.Config.RetireWaitSeconds);
            var refused = new List<string>();
            int ran = 0;
            foreach (var plan in selected)
            {
                var state = states(plan);
                if (state == ChangeState.Contracted)
                {
                    continue;
                }

                if (state < ChangeState.Backfilled)
                {
                    // Not ready yet is normal for a change still in flight; asked for by id, it is a refusal.
                    if (only is not null)
                    {
                        refused.Add($"change {plan.Id} is {state.Label()}: contract needs it expanded and backfilled");
                    }
                    else
                    {
                        session.Cli.Line($"skip {plan.Id}: {state.Label()}, not ready for contract");
                    }

                    continue;
                }

                bool incomplete = false;
                foreach (var spec in plan.Backfills)
                {
                    if (!await BackfillRunner.IsCompleteAsync(session.RequireLedger.Connection, spec))
                    {
                        incomplete = true;
                        refused.Add($"change {plan.Id}: rows of {spec.Schema}.{spec.Table} still match \"{spec.Pending}\"; run backfill again");
                    }
                }

                if (incomplete)
                {
                    continue;
                }

                // What the contract will validate must hold before it starts: refused here, nothing of
                // the contract runs, instead of failing at a VALIDATE half-way.
                if (state == ChangeState.Backfilled)
                {
                    // Objects of the database that depend on what the contract drops: PostgreSQL would
                    // refuse the statement half-way (2BP01); refused here with their names instead.
                    var blocked = (await DependentObjects.FindAsync(session.RequireLedger.Connection, plan.Contract, session.Config.LedgerSchema)).Where(f => f.Blocking.Count > 0).ToList();
                    if (blocked.Count > 0)
                    {
                        refused.Add($"change {plan.Id}: the contract drops or retypes {blocked[0].Target}, which {string.Join(", ", blocked[0].Blocking)} depend(s) on{(blocked.Count > 1 ? $" (and {blocked.Count - 1} more)" : "")}: move them to the new shape or drop them first (MIG0112)");
                        continue;
                    }

                    var failing = (await PreconditionCheck.RunAsync(session.RequireLedger.Connection, plan)).Where(r => !r.Holds).ToList();
                    if (failing.Count > 0)
                    {
                        refused.Add($"change {plan.Id}: the contract would fail: not every row meets \"{failing[0].Precondition.What}\"{(failing.Count > 1 ? $", and {failing.Count - 1} more" : "")}; fix those rows (or run backfill again), then contract");
                        continue;
                    }
                }

                var broken = VersionRules.VersionsBrokenByContract(plan, live);
                if (broken.Count > 0 && !force)
                {
                    refused.Add($"change {plan.Id} contract would break live version(s) {string.Join(", ", broken)} (older than {plan.Change.ContractAfter}): retire them first, or --force");
                    continue;
                }

                // Holds keep a contract waiting as a live version does.
                var holding = plan.Contract.Count == 0 ? [] : holds.Where(h => h.Holds(plan.Id)).ToList();
                if (holding.Count > 0 && !force)
                {
                    refused.Add($"change {plan.Id} contract waits on {holding[0]}: release it with `dotnet migrator deploy hold release {holding[0].Name}` once nothing needs the old shape, or --force");
                    continue;
                }

                // The rollback window: a version this contract would break, retired less than
                // retireWaitSeconds ago, may still be switched back to.
                var recent = plan.Contract.Count == 0 ? [] : VersionRules.VersionsBrokenByContract(plan, retired.Where(d => d.RetiredAt > now - window));
                if (recent.Count > 0 && !force)
                {
                    var last = retired.Where(d => recent.Contains(d.AppVersion)).Max(d => d.RetiredAt!.Value);
                    refused.Add($"change {plan.Id}: {string.Join(", ", recent)} retired at {last:HH:mm:ss} UTC, and the contract waits {window.TotalSeconds:0} s after a retirement (retireWaitSeconds) so it can still be switched back to: run it after {last + window:HH:mm:ss} UTC, or --force");
                    continue;
                }

                var breaks = await CompatibilityInputs.BreaksAsync(session, plan, Phase.Contract);
                if (breaks.Count > 0 && !force)
                {
                    refused.Add($"change {plan.Id}: {breaks[0].Message} ({breaks[0].Location}){(breaks.Count > 1 ? $", and {breaks.Count - 1} more" : "")}: retire that version first, or --force");
                    continue;
                }

                if (breaks.Count > 0)
                {
                    broken = [.. broken.Concat(breaks.Select(b => b.AppVersion!)).Distinct()];
                }

                string forced = string.Join("; ", new[]
                {
                    broken.Count > 0 ? $"forced while {string.Join(", ", broken)} live" : null,
                    holding.Count > 0 ? $"forced past {string.Join(", ", holding.Select(h => "hold " + h.Name))}" : null,
                    recent.Count > 0 ? $"forced within the rollback window of {string.Join(", ", recent)}" : null,
                }.Where(r => r is not null));
                if (forced.Length > 0)
                {
                    session.Cli.Warn($"--force: contracting change {plan.Id}: {forced}");
                }

                await session.RunPhaseAsync(plan, Phase.Contract, forced.Length > 0 ? forced : null, cancellation, parse.GetValue(Replan));
                ran++;
            }

            foreach (var reason in refused)
            {
                await cli.Error.WriteLineAsync($"refused: {reason}");
                await session.HistoryAsync("contract", null, "refused", reason);
            }

            session.Cli.Line(ran == 0 ? "nothing contracted" : $"contracted {ran} change(s)");
            return refused.Count > 0 ? ExitCodes.Unsafe : ExitCodes.Ok;
        });
        return command;
    }
}
