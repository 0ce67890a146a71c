using System.CommandLine;
using Migrator.Ledger;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>
/// `deploy hold add|release|list`: holds that are not versions. A team releasing behind a feature flag
/// deploys the new version, turns the flag on for 1 %, then 100 %, then removes it; until then the old
/// code path still reads the old shape. `deploy hold add flag:split-name --change 3` keeps change 3's
/// contract waiting, exactly as a live version older than its ContractAfter would (refused, or
/// --force, recorded); `deploy hold release flag:split-name` lets it go. Holds show in status, gate and plan.
/// </summary>
public static class HoldCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "The hold's name, e.g. flag:split-name" };
    private static readonly Option<string?> Reason = new("--reason") { Description = "Why the contract must wait (shown wherever the hold is)" };

    public static Command Create(CliContext cli)
    {
        var add = new Command("add", "Keep a change's contract (or every contract) waiting until the hold is released") { Name, CommonOptions.Change, Reason };
        add.SetAction(async (parse, cancellation) =>
        {
            string name = CheckName(parse.GetValue(Name)!);
            await using var session = CliSession.Load(cli, parse);
            long? change = parse.GetValue(CommonOptions.Change) is { } id ? session.FindChange(id).Id : null;
            await session.ConnectAsync(cancellation, sharedLock: true);
            await using var serial = await session.RequireLedger.DeploymentLockAsync();
            var placed = (await session.RequireLedger.HoldsAsync()).FirstOrDefault(h => h.Name == name);
            if (placed is not null)
            {
                if (placed.ChangeId != change)
                {
                    throw new MigratorException(ExitCodes.BadInput, $"{placed} is already placed: release it first to place it on another change");
                }

                session.Cli.Line($"{placed} is already placed: nothing to do");
                return ExitCodes.Ok;
            }

            await session.RequireLedger.PlaceHoldAsync(name, change, parse.GetValue(Reason));
            await session.HistoryAsync("deploy hold add " + name, change, "done", parse.GetValue(Reason));
            session.Cli.Line($"placed hold {name}: {(change is { } c ? $"the contract of change {c}" : "every contract")} waits until `dotnet migrator deploy hold release {name}`");
            return ExitCodes.Ok;
        });

        var release = new Command("release", "Release a hold: the contracts it kept waiting may run") { Name };
        release.SetAction(async (parse, cancellation) =>
        {
            string name = CheckName(parse.GetValue(Name)!);
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectAsync(cancellation, sharedLock: true);
            await using var serial = await session.RequireLedger.DeploymentLockAsync();
            if (!await session.RequireLedger.ReleaseHoldAsync(name))
            {
                session.Cli.Line($"no hold {name} is placed: nothing to release");
                return ExitCodes.Ok;
            }

            await session.HistoryAsync("deploy hold release " + name, null, "done");
            session.Cli.Line($"released hold {name}");
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List the holds placed");
        list.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectReadOnlyAsync(cancellation);
            Render(session.Cli, await session.RequireLedger.HoldsAsync());
            return ExitCodes.Ok;
        });

        return new Command("hold", "Holds that keep contracts waiting, as a live version does (feature flags, reports)") { add, release, list };
    }

    public static void Render(CliContext console, IReadOnlyList<Hold> holds)
    {
        var table = new CliTable("Holds", "Hold", "Keeps waiting", "Reason", "Placed");
        foreach (var hold in holds)
        {
            table.AddRow(hold.Name, hold.ChangeId is { } id ? $"contract of change {id}" : "every contract", hold.Reason ?? "", $"{hold.PlacedAt:yyyy-MM-dd HH:mm} by {hold.PlacedBy}");
        }

        if (holds.Count == 0)
        {
            table.AddRow("(none)", "", "", "");
        }

        table.Write(console);
    }

    private static string CheckName(string name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Any(char.IsControl)
            ? throw new MigratorException(ExitCodes.BadInput, "a hold's name must be 1 to 200 printable characters, e.g. flag:split-name")
            : name;
}
