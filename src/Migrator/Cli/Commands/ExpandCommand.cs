using System.CommandLine;
using Migrator.Authoring;
using Migrator.Execution;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`expand`: runs the additive phase of every pending change (or one with --change, or all
/// those an app version needs with --to), in id order, so the changes of one version expand together
/// in one run. A change that alters what an earlier change still in flight alters is refused.</summary>
public static class ExpandCommand
{
    private static readonly Option<string?> To = new("--to") { Description = "Expand every pending change this app version needs" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("expand", "Run the expand phase (additive, backward-compatible DDL) of pending changes") { CommonOptions.Change, To };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            var selected = session.Selected(parse.GetValue(CommonOptions.Change));
            if (parse.GetValue(To) is { } to)
            {
                var version = ChangeCatalog.ParseVersion(to, "--to");
                selected = [.. VersionRules.NeededBy(selected, version)];
            }

            await session.ConnectAsync(cancellation);
            var drift = await session.DriftAsync(cancellation);
            int ran = 0;
            foreach (var plan in selected)
            {
                // States are read again for each change: an earlier one in this run may have settled.
                var states = await session.StatesAsync();
                var state = states(plan);
                if (state == ChangeState.RollingBack)
                {
                    throw new MigratorException(ExitCodes.Unsafe, $"change {plan.Id} has an unfinished rollback: run `dotnet migrator rollback --change {plan.Id}` again first");
                }

                if (state.IsExpanded())
                {
                    continue;
                }

                var blocking = plan.WaitsFor
                    .Select(w => (w.Id, w.Target, Plan: session.FindChange(w.Id)))
                    .Where(w => !states(w.Plan).IsSettled(w.Plan))
                    .ToList();
                if (blocking.Count > 0)
                {
                    var (id, target, other) = blocking[0];
                    string reason = $"change {plan.Id} alters {target}, which change {id} ({states(other).Label()}) also alters: contract or roll back change {id} first";
                    await session.HistoryAsync("expand", plan.Id, "refused", reason);
                    throw new MigratorException(ExitCodes.Unsafe, reason);
                }

                if (DriftCheck.Touching(drift.Items, plan.Targets) is { Count: > 0 } drifted)
                {
                    string reason = $"change {plan.Id} alters {drifted[0].Table}, which has drifted from the schema Migrator recorded after {drift.After}: {drifted[0]}"
                        + (drifted.Count > 1 ? $" (and {drifted.Count - 1} more; see `dotnet migrator status`)" : "")
                        + "; undo the manual change, or adopt the live schema with `dotnet migrator baseline --replace`";
                    await session.HistoryAsync("expand", plan.Id, "refused", reason);
                    throw new MigratorException(ExitCodes.Unsafe, reason);
                }

                var breaks = await CompatibilityInputs.BreaksAsync(session, plan, Phase.Expand);
                if (breaks.Count > 0)
                {
                    string reason = $"change {plan.Id}: {breaks[0].Message}{(breaks[0].Location is { } where ? $" ({where})" : "")}";
                    await session.HistoryAsync("expand", plan.Id, "refused", reason);
                    throw new MigratorException(ExitCodes.Unsafe, reason);
                }

                await session.RunPhaseAsync(plan, Phase.Expand, null, cancellation);
                ran++;
            }

            session.Cli.Line(ran == 0 ? "nothing to expand: every selected change is expanded" : $"expanded {ran} change(s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
