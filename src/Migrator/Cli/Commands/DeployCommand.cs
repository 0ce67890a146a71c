using System.CommandLine;
using Migrator.Compatibility;
using Migrator.Ledger;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`deploy register|retire|list|hold`: which app versions are live against this database, and
/// what else keeps contracts waiting.</summary>
public static class DeployCommand
{
    private static readonly Argument<string> Version = new("version") { Description = "App version (SemVer), e.g. 2.0.0" };
    private static readonly Option<string?> Slot = new("--slot") { Description = "Where it runs: blue, green, canary, stable …" };
    private static readonly Option<string?> Usage = new("--usage") { Description = "Usage manifest (JSON) of this version, from `usage extract`" };
    private static readonly Option<bool> Early = new("--early") { Description = "Register before this version's backfills are verified complete: its live requests may read NULL in columns not backfilled yet (recorded in the history)" };
    private static readonly Option<bool> AlsoSlot = new("--also") { Description = "With --slot, for a live version: add the slot to the ones it has (live in blue and green) instead of moving it" };
    private static readonly Option<string?> RetireSlot = new("--slot") { Description = "Retire the version from this slot only; it stays live in its others" };
    private static readonly Option<string> ListFormat = new("--format") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
    private static readonly Option<bool> Force = new("--force") { Description = "Register even though a contracted change removed the shape this version needs (recorded in the history)" };

    /// <summary>The slots a live version runs in ("blue, green" holds two).</summary>
    private static List<string> Slots(string? slot) =>
        slot is null ? [] : [.. slot.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    public static Command Create(CliContext cli)
    {
        var register = new Command("register", "Mark an app version live (refused while a change it needs is not expanded)") { Version, Slot, AlsoSlot, Usage, Early, Force };
        register.SetAction(async (parse, cancellation) =>
        {
            string text = parse.GetValue(Version)!;
            var version = ChangeCatalog.ParseVersion(text, "app version");
            string? usage = ReadUsage(parse.GetValue(Usage), version.ToString());
            await using var session = CliSession.Load(cli, parse);

            // Shared with a running backfill (a canary step or abort must be recordable meanwhile),
            // exclusive of expand and contract; registers serialise among themselves in the ledger.
            await session.ConnectAsync(cancellation, sharedLock: true);
            await using var serial = await session.RequireLedger.DeploymentLockAsync();
            var states = await session.StatesAsync();
            var live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
            var blockers = VersionRules.RegisterBlockers(session.Plans, version, states);
            if (blockers.Count > 0)
            {
                await session.HistoryAsync("deploy register " + text, null, "refused", blockers[0]);
                throw new MigratorException(ExitCodes.Unsafe, $"cannot register {text}: {blockers[0]}");
            }

            // No live request may read a half-filled column: V's backfills must be verified complete.
            var unfilled = new List<string>();
            foreach (var plan in VersionRules.NeededBy(session.Plans, version).Where(p => p.HasBackfill && states(p) < ChangeState.Contracting))
            {
                foreach (var spec in plan.Backfills)
                {
                    if (!await Backfill.BackfillRunner.IsCompleteAsync(session.RequireLedger.Connection, spec))
                    {
                        unfilled.Add($"change {plan.Id}'s backfill of {spec.Schema}.{spec.Table} is not complete ({spec.Pending})");
                    }
                }
            }

            string? early = null;
            if (unfilled.Count > 0 && live.All(d => d.AppVersion != version.ToString()))
            {
                if (!parse.GetValue(Early))
                {
                    await session.HistoryAsync("deploy register " + text, null, "refused", unfilled[0]);
                    throw new MigratorException(ExitCodes.Unsafe, $"cannot register {text}: {unfilled[0]}{(unfilled.Count > 1 ? $", and {unfilled.Count - 1} more" : "")}; {text} would read NULL where rows are not backfilled yet: run `dotnet migrator backfill` first (or --early for a canary that can live with that)");
                }

                early = $"early: {string.Join("; ", unfilled)}";
                session.Cli.Warn($"--early: {version} goes live before its backfill is complete; until it is, it reads NULL in the new columns of rows not backfilled yet");
            }

            var removed = VersionRules.RemovedShapes(session.Plans, version, states);
            string? forced = null;
            if (removed.Count > 0)
            {
                if (!parse.GetValue(Force))
                {
                    await session.HistoryAsync("deploy register " + text, null, "refused", removed[0]);
                    throw new MigratorException(ExitCodes.Unsafe, $"cannot register {text}: {removed[0]}{(removed.Count > 1 ? $", and {removed.Count - 1} more" : "")}; its requests would fail (--force registers it anyway)");
                }

                forced = $"forced although {string.Join("; ", removed)}";
                session.Cli.Warn($"--force: {version} is registered although {removed[0]}");
            }

            string? slot = parse.GetValue(Slot);
            if (slot is not null && (string.IsNullOrWhiteSpace(slot) || slot.Contains(',', StringComparison.Ordinal)))
            {
                throw new MigratorException(ExitCodes.BadInput, "--slot must be a non-empty name without commas, e.g. blue, green, canary");
            }

            if (live.FirstOrDefault(d => d.AppVersion == version.ToString()) is { } current)
            {
                var changed = new List<string>();
                if (usage is not null)
                {
                    await session.RequireLedger.UpdateUsageAsync(version.ToString(), usage);
                    changed.Add("its usage manifest is updated");
                }

                var slots = Slots(current.Slot);
                if (slot is not null && parse.GetValue(AlsoSlot) && !slots.Contains(slot))
                {
                    await session.RequireLedger.UpdateSlotAsync(version.ToString(), string.Join(", ", slots.Append(slot)));
                    changed.Add($"it is live in slots {string.Join(", ", slots.Append(slot))}");
                }
                else if (slot is not null && !parse.GetValue(AlsoSlot) && slot != current.Slot)
                {
                    await session.RequireLedger.UpdateSlotAsync(version.ToString(), slot);
                    changed.Add($"its slot is now {slot} (was {current.Slot ?? "none"})");
                }

                if (changed.Count > 0)
                {
                    await session.HistoryAsync("deploy register " + text, null, "updated", string.Join("; ", changed));
                }

                session.Cli.Line($"{version} is already live" + (changed.Count > 0 ? "; " + string.Join("; ", changed) : ""));
                return ExitCodes.Ok;
            }

            // Registered again after a retire: the manifest it had is kept unless a new one is given.
            usage ??= await session.RequireLedger.LastUsageAsync(version.ToString());
            await session.RequireLedger.RegisterAsync(version.ToString(), slot, usage);
            await session.HistoryAsync("deploy register " + text, null, "done", string.Join("; ", new[] { forced, early, slot }.Where(d => d is not null)) is { Length: > 0 } detail ? detail : null);
            session.Cli.Line($"registered {version}{(slot is not null ? $" in slot {slot}" : "")}: it is live");
            return ExitCodes.Ok;
        });

        var retire = new Command("retire", "Mark an app version no longer live (nothing may roll back to it)") { Version, RetireSlot };
        retire.SetAction(async (parse, cancellation) =>
        {
            string text = parse.GetValue(Version)!;
            var version = ChangeCatalog.ParseVersion(text, "app version");
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectAsync(cancellation, sharedLock: true);
            await using var serial = await session.RequireLedger.DeploymentLockAsync();
            if (parse.GetValue(RetireSlot) is { } from
                && (await session.RequireLedger.DeploymentsAsync(liveOnly: true)).FirstOrDefault(d => d.AppVersion == version.ToString()) is { } liveIn)
            {
                var slots = Slots(liveIn.Slot);
                if (!slots.Contains(from))
                {
                    throw new MigratorException(ExitCodes.BadInput, $"{version} is not live in slot {from} (its slots: {(slots.Count == 0 ? "none" : string.Join(", ", slots))})");
                }

                if (slots.Count > 1)
                {
                    var rest = slots.Where(x => x != from).ToList();
                    await session.RequireLedger.UpdateSlotAsync(version.ToString(), string.Join(", ", rest));
                    await session.HistoryAsync("deploy retire " + text, null, "done", $"from slot {from}; still live in {string.Join(", ", rest)}");
                    session.Cli.Line($"retired {version} from slot {from}: it is still live in {string.Join(", ", rest)}");
                    return ExitCodes.Ok;
                }
            }

            int retired = await session.RequireLedger.RetireAsync(version.ToString());
            if (retired == 0)
            {
                var all = await session.RequireLedger.DeploymentsAsync(liveOnly: false);
                if (all.All(d => d.AppVersion != version.ToString()))
                {
                    throw new MigratorException(ExitCodes.BadInput, $"app version {version} was never registered");
                }

                session.Cli.Line($"{version} is not live: nothing to retire");
                return ExitCodes.Ok;
            }

            await session.HistoryAsync("deploy retire " + text, null, "done");
            session.Cli.Line($"retired {version}");
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List app versions, live and retired") { ListFormat };
        ListFormat.AcceptOnlyFromAmong("text", "json");
        list.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectReadOnlyAsync(cancellation);
            var all = await session.RequireLedger.DeploymentsAsync(liveOnly: false);
            if (parse.GetValue(ListFormat) == "json")
            {
                session.Cli.Data(System.Text.Json.JsonSerializer.Serialize(new
                {
                    formatVersion = 1,
                    deployments = all.Select(d => new { version = d.AppVersion, slot = d.Slot, live = d.IsLive, registeredAt = d.RegisteredAt, retiredAt = d.RetiredAt }),
                }, Reports.JsonReport.Options));
                return ExitCodes.Ok;
            }

            RenderDeployments(session.Cli, all, "App versions");
            return ExitCodes.Ok;
        });

        return new Command("deploy", "Register, retire and list the app versions running against the database, and the holds on contracts") { register, retire, list, HoldCommand.Create(cli) };
    }

    public static void RenderDeployments(CliContext output, IReadOnlyList<Deployment> deployments, string title)
    {
        var table = new CliTable(title, "Version", "Slot", "Registered", "Retired");
        foreach (var d in deployments)
        {
            table.AddRow(d.AppVersion, d.Slot ?? "-", $"{d.RegisteredAt:yyyy-MM-dd HH:mm:ss}", d.RetiredAt is { } r ? $"{r:yyyy-MM-dd HH:mm:ss}" : "live");
        }

        if (deployments.Count == 0)
        {
            table.AddRow("(none)", "", "", "");
        }

        table.Write(output);
    }

    /// <summary>Reads and checks a manifest: its format version, and that it is the version being registered.</summary>
    private static string? ReadUsage(string? path, string version)
    {
        if (path is null)
        {
            return null;
        }

        var manifest = UsageManifest.Load(path);
        if (manifest.AppVersion != version)
        {
            throw new MigratorException(ExitCodes.BadInput, $"usage manifest {path} is for app version {manifest.AppVersion}, not {version}");
        }

        return manifest.ToJson();
    }
}
