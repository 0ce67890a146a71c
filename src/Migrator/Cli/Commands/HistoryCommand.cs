using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`history`: the ledger's audit trail, newest first; only reads (no lock, no ledger created).</summary>
public static class HistoryCommand
{
    private static readonly Option<int> Limit = new Option<int>("--limit") { Description = "How many entries, newest first (default 50)", DefaultValueFactory = _ => 50 }.Between(1, 100_000);

    private static readonly Option<string> Format = new("--format") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("history", "Show the audit trail: every command that changed, refused or failed something, newest first") { CommonOptions.Change, Limit, Format };
        Format.AcceptOnlyFromAmong("text", "json");
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectReadOnlyAsync(cancellation);
            var entries = await session.RequireLedger.HistoryAsync(parse.GetValue(CommonOptions.Change), parse.GetValue(Limit));
            if (parse.GetValue(Format) == "json")
            {
                session.Cli.Data(JsonSerializer.Serialize(new
                {
                    formatVersion = 1,
                    history = entries.Select(e => new { id = e.Id, at = e.At, actor = e.Actor, host = e.Host, command = e.Command, changeId = e.ChangeId, outcome = e.Outcome, detail = e.Detail }),
                }, Reports.JsonReport.Options));
                return ExitCodes.Ok;
            }

            var table = new CliTable("History", "When (UTC)", "Who", "Command", "Change", "Outcome", "Detail");
            foreach (var e in entries)
            {
                table.AddRow($"{e.At:yyyy-MM-dd HH:mm:ss}", e.Host is null ? e.Actor : $"{e.Actor}@{e.Host}", e.Command, e.ChangeId?.ToString() ?? "", e.Outcome, e.Detail ?? "");
            }

            if (entries.Count == 0)
            {
                table.AddRow("(none)", "", "", "", "", "");
            }

            table.Write(session.Cli);
            return ExitCodes.Ok;
        });
        return command;
    }
}
