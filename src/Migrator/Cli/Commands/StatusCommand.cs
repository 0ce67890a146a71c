using System.CommandLine;
using Migrator.Authoring;
using Migrator.Execution;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`status`: each change's state and phase times, and the live app versions.</summary>
public static class StatusCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("status", "Show each change's state from the ledger, and the live app versions");
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectReadOnlyAsync(cancellation);
            var phases = await session.RequireLedger.PhasesAsync();
            var live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
            var backfilled = await session.RequireLedger.BackfillRowsAsync();
            var holds = await session.RequireLedger.HoldsAsync();
            var unsettled = session.Plans.Where(p => !ChangeStates.Of(p, phases).IsSettled(p)).Select(p => p.Id).ToHashSet();
            var table = new Table().Title("Changes").AddColumns("Id", "Description", "App version", "State", "Expand", "Backfill", "Contract", "Next");
            foreach (var plan in session.Plans)
            {
                var state = ChangeStates.Of(plan, phases);
                table.AddRow(
                    new Text(plan.Id.ToString()),
                    new Text(plan.Change.Description),
                    new Text(plan.Change.AppVersion.ToString()),
                    new Text(state.Label()),
                    new Text(When(phases, plan.Id, Phase.Expand)),
                    new Text(plan.HasBackfill ? When(phases, plan.Id, Phase.Backfill) + Rows(backfilled, plan.Id) : "-"),
                    new Text(When(phases, plan.Id, Phase.Contract)),
                    new Text(NextStep.Describe(plan, state, live, unsettled, holds)));
            }

            session.Out.Write(table);
            DeployCommand.RenderDeployments(session.Out, live, "Live app versions");
            if (holds.Count > 0)
            {
                HoldCommand.Render(session.Out, holds);
            }

            var drift = await session.DriftAsync(cancellation);
            if (drift.BaselineMismatch is { } mismatch)
            {
                session.Cli.Line("baseline: " + mismatch);
            }

            session.Cli.Line("drift: " + drift.Summary);
            foreach (var item in drift.Items)
            {
                session.Cli.Line("  " + item);
            }

            await session.HistoryAsync("status", null, "ok");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Rows(IReadOnlyDictionary<long, long> backfilled, long id) =>
        backfilled.TryGetValue(id, out long rows) ? $", {rows:N0} rows" : "";

    private static string When(IReadOnlyDictionary<(long, Phase), Ledger.PhaseRecord> phases, long id, Phase phase) =>
        phases.GetValueOrDefault((id, phase)) switch
        {
            null => "-",
            { IsDone: true } r => $"done {r.FinishedAt:yyyy-MM-dd HH:mm:ss}",
            { Phase: Phase.Backfill, Status: "stopped" } => $"stopped (resume: backfill --change {id})",
            { Phase: Phase.Backfill } r => r.Status,
            var r => $"{r.Status} (step {r.StepsDone})",
        };
}
