using System.CommandLine;
using Migrator.Authoring;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`expand`: runs the additive phase of every pending change (or one with --change).</summary>
public static class ExpandCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("expand", "Run the expand phase (additive, backward-compatible DDL) of pending changes") { CommonOptions.Change };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            var selected = session.Selected(parse.GetValue(CommonOptions.Change));
            await session.ConnectAsync(cancellation);
            var states = await session.StatesAsync();
            int ran = 0;
            foreach (var plan in selected.Where(p => !states(p).IsExpanded()))
            {
                await session.RunPhaseAsync(plan, Phase.Expand, null, cancellation);
                ran++;
            }

            session.Cli.Line(ran == 0 ? "nothing to expand: every selected change is expanded" : $"expanded {ran} change(s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
