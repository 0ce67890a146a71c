using System.CommandLine;
using System.Text.Json;
using Migrator.Authoring;
using Migrator.Execution;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`status`: each change's state and phase times, and the live app versions.</summary>
public static class StatusCommand
{
    private static readonly Option<string> Format = new("--format") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("status", "Show each change's state from the ledger, and the live app versions") { Format };
        Format.AcceptOnlyFromAmong("text", "json");
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectReadOnlyAsync(cancellation);
            var phases = await session.RequireLedger.PhasesAsync();
            var live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
            var backfilled = (await session.RequireLedger.BackfillProgressAsync()).ToDictionary(p => p.Key, p => p.Value.Rows);
            var holds = await session.RequireLedger.HoldsAsync();
            var unsettled = session.Plans.Where(p => !ChangeStates.Of(p, phases).IsSettled(p)).Select(p => p.Id).ToHashSet();
            var drift = await session.DriftAsync(cancellation);
            if (parse.GetValue(Format) == "json")
            {
                session.Cli.Data(JsonSerializer.Serialize(new
                {
                    formatVersion = 1,
                    changes = session.Plans.Select(plan =>
                    {
                        var state = ChangeStates.Of(plan, phases);
                        return new
                        {
                            id = plan.Id,
                            description = plan.Change.Description,
                            appVersion = plan.Change.AppVersion.ToString(),
                            state = state.Label(),
                            expand = PhaseJson(phases, plan.Id, Authoring.Phase.Expand),
                            backfill = plan.HasBackfill ? PhaseJson(phases, plan.Id, Authoring.Phase.Backfill) : null,
                            backfillRows = backfilled.TryGetValue(plan.Id, out long rows) ? rows : (long?)null,
                            contract = PhaseJson(phases, plan.Id, Authoring.Phase.Contract),
                            next = NextStep.Describe(plan, state, live, unsettled, holds),
                        };
                    }),
                    live = live.Select(d => new { version = d.AppVersion, slot = d.Slot, registeredAt = d.RegisteredAt }),
                    holds = holds.Select(h => new { name = h.Name, changeId = h.ChangeId, reason = h.Reason, placedAt = h.PlacedAt, placedBy = h.PlacedBy }),
                    drift = new
                    {
                        recorded = drift.Recorded,
                        after = drift.After,
                        recordedAt = drift.RecordedAt,
                        baselineMismatch = drift.BaselineMismatch,
                        items = drift.Items.Select(d => new { @object = d.Object, table = d.Table, expected = d.Expected, found = d.Found }),
                    },
                }, Reports.JsonReport.Options));
                return ExitCodes.Ok;
            }

            var table = new CliTable("Changes", "Id", "Description", "App version", "State", "Expand", "Backfill", "Contract", "Next");
            foreach (var plan in session.Plans)
            {
                var state = ChangeStates.Of(plan, phases);
                table.AddRow(
                    plan.Id.ToString(),
                    plan.Change.Description,
                    plan.Change.AppVersion.ToString(),
                    state.Label(),
                    When(phases, plan.Id, Phase.Expand),
                    plan.HasBackfill ? When(phases, plan.Id, Phase.Backfill) + Rows(backfilled, plan.Id) : "-",
                    When(phases, plan.Id, Phase.Contract),
                    NextStep.Describe(plan, state, live, unsettled, holds));
            }

            table.Write(session.Cli);
            DeployCommand.RenderDeployments(session.Cli, live, "Live app versions");
            if (holds.Count > 0)
            {
                HoldCommand.Render(session.Cli, holds);
            }

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

    private static object? PhaseJson(IReadOnlyDictionary<(long, Authoring.Phase), PhaseRecord> phases, long id, Authoring.Phase phase) =>
        phases.GetValueOrDefault((id, phase)) is { } r
            ? new { status = r.Status, stepsDone = r.StepsDone, startedAt = r.StartedAt, finishedAt = r.FinishedAt, error = r.Error }
            : null;

    private static string Rows(IReadOnlyDictionary<long, long> backfilled, long id) =>
        backfilled.TryGetValue(id, out long rows) ? $", {rows:N0} rows" : "";

    private static string When(IReadOnlyDictionary<(long, Phase), PhaseRecord> phases, long id, Phase phase) =>
        phases.GetValueOrDefault((id, phase)) switch
        {
            null => "-",
            { IsDone: true } r => $"done {r.FinishedAt:yyyy-MM-dd HH:mm:ss}",
            { Phase: Phase.Backfill, Status: "stopped" } => $"stopped (resume: backfill --change {id})",
            { Phase: Phase.Backfill } r => r.Status,
            var r => $"{r.Status} (step {r.StepsDone})",
        };
}
