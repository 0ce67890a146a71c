using System.CommandLine;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Planning;
using Migrator.Schema;

namespace Migrator.Cli.Commands;

/// <summary>
/// `baseline`: adopts an existing database. Reads its schema from pg_catalog, writes it into the
/// migrations project as a reviewable file (migrator-baseline.json, or the config's "baseline"), and
/// records it in the ledger, so that later changes plan against it offline and drift is measured from
/// it. Safe to re-run: a database adopted with the same file is left as it is.
/// </summary>
public static class BaselineCommand
{
    private static readonly Option<bool> Replace = new("--replace")
    {
        Description = "Adopt the live schema again (after a deliberate manual change): every change that has run must be settled",
    };

    public static Command Create(CliContext cli)
    {
        var command = new Command("baseline", "Adopt an existing database: write its schema to the migrations project and record it in the ledger") { Replace };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse, allowNoChanges: true);
            bool replace = parse.GetValue(Replace);
            await session.ConnectAsync(cancellation);
            var ledger = session.RequireLedger;
            string path = session.Config.BaselinePath;
            string? fileText = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellation) : null;
            var recorded = await ledger.BaselineAsync();
            if (recorded is not null && !replace)
            {
                if (fileText is not null && BaselineFile.Checksum(fileText) == recorded.Checksum)
                {
                    session.Cli.Line($"already adopted: the baseline in {path} is the one recorded on {recorded.TakenAt:yyyy-MM-dd HH:mm} by {recorded.TakenBy}; nothing to do");
                    return ExitCodes.Ok;
                }

                throw new MigratorException(ExitCodes.BadInput,
                    $"this database was adopted on {recorded.TakenAt:yyyy-MM-dd HH:mm} with another baseline file ({(fileText is null ? $"{path} is missing" : $"{path} differs")}): restore that file from version control, or pass --replace to adopt the live schema again");
            }

            if (!replace && await ledger.AnyPhaseAsync())
            {
                throw new MigratorException(ExitCodes.BadInput,
                    "changes have already run on this database: it is managed by its changes, not adopted; pass --replace only to fold the settled changes into a new baseline");
            }

            var states = await session.StatesAsync();
            var ran = session.Plans.Where(p => states(p) != ChangeState.Pending).ToList();

            if (ran.FirstOrDefault(p => !states(p).IsSettled(p)) is { } inFlight)
            {
                throw new MigratorException(ExitCodes.Unsafe,
                    $"change {inFlight.Id} is {states(inFlight).Label()}: contract or roll it back before adopting the live schema again");
            }

            long? through = ran.Count == 0 ? session.Baseline?.IncludesChangesThrough : ran.Max(p => p.Id);
            if (through is { } last && session.Plans.FirstOrDefault(p => p.Id < last && states(p) == ChangeState.Pending) is { } skipped)
            {
                throw new MigratorException(ExitCodes.Unsafe,
                    $"change {skipped.Id} has not run but change {last} has: run or remove change {skipped.Id} first, a new baseline would hide it");
            }

            var live = await SchemaReader.ReadAsync(ledger.Connection, ledger.Schema, cancellation) with { IncludesChangesThrough = through };
            string text = BaselineFile.Serialize(live);
            string temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, text, cancellation);
            File.Move(temp, path, overwrite: true);
            string checksum = BaselineFile.Checksum(text);
            await ledger.RecordBaselineAsync(checksum, Path.GetFileName(path), text, SchemaFacts.Serialize(SchemaFacts.Of(live)));
            int partitions = live.Tables.Count(t => t.PartitionOf is not null);
            string summary = $"{live.Tables.Count - partitions} tables, {partitions} partitions, {live.Views.Count(v => !v.Materialized)} views, "
                + $"{live.Views.Count(v => v.Materialized)} materialized views, {live.Tables.Sum(t => t.Triggers.Count)} triggers, {live.Sequences.Count} sequences, "
                + $"{live.Types.Count} types, {live.Functions.Count} functions";
            session.Cli.Line($"{(recorded is null ? "adopted" : "adopted again")}: {summary}");
            session.Cli.Line($"wrote {path} (sha256 {checksum[..12]}); commit it with the migrations project");
            await session.HistoryAsync(replace ? "baseline --replace" : "baseline", null, "done", $"{summary}; sha256 {checksum}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
