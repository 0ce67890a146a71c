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

                string forced = broken.Count > 0 ? $"forced while {string.Join(", ", broken)} live" : "";
                if (forced.Length > 0)
                {
                    session.Cli.Line($"warning: --force: contracting change {plan.Id} breaks live version(s) {string.Join(", ", broken)}");
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
