using System.CommandLine;
using System.Diagnostics;
using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Planning;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`backfill`: copies or transforms existing rows of expanded changes in keyset batches,
/// resuming from the ledger's checkpoint.</summary>
public static class BackfillCommand
{
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Rows per batch (default: the config's batchSize, 1000)" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("backfill", "Run the backfill of expanded changes in small resumable batches") { CommonOptions.Change, BatchSize };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            long? only = parse.GetValue(CommonOptions.Change);
            var selected = session.Selected(only);
            int batchSize = parse.GetValue(BatchSize) ?? session.Config.BatchSize;
            if (batchSize <= 0)
            {
                throw new MigratorException(ExitCodes.BadInput, $"--batch-size must be positive (got {batchSize})");
            }

            await session.ConnectAsync(cancellation);
            var states = await session.StatesAsync();
            if (only is not null && !states(selected[0]).IsExpanded())
            {
                throw new MigratorException(ExitCodes.Unsafe, $"change {only} is {states(selected[0]).Label()}: expand it before its backfill");
            }

            var options = new BackfillOptions(batchSize, session.Execution.LockTimeout);
            var runner = new BackfillRunner(session.RequireLedger.Connection, new CheckpointStore(session.Config.LedgerSchema), options);
            int ran = 0;
            foreach (var plan in selected.Where(p => p.HasBackfill && states(p) is ChangeState.Expanded or ChangeState.Backfilling))
            {
                await session.RequireLedger.StartPhaseAsync(plan.Id, Phase.Backfill, plan.Checksum(Phase.Backfill), "[]");
                foreach (var spec in plan.Backfills)
                {
                    session.Cli.Line($"backfill {plan.Id}: {spec.Schema}.{spec.Table} SET {spec.Set}");
                    BackfillResult result;
                    try
                    {
                        result = await runner.RunAsync(plan.Id, spec, new ProgressPrinter(session), cancellation);
                    }
                    catch (BackfillException e)
                    {
                        await session.RequireLedger.FailPhaseAsync(plan.Id, Phase.Backfill, e.Message);
                        await session.HistoryAsync("backfill", plan.Id, "failed", e.Message);
                        throw;
                    }

                    session.Cli.Line(result.AlreadyComplete
                        ? "  already complete (verified: no row left to do)"
                        : $"  {result.RowsUpdated} rows in {result.Batches} batches; verified: no row left to do");
                }

                await session.RequireLedger.FinishPhaseAsync(plan.Id, Phase.Backfill);
                await session.HistoryAsync("backfill", plan.Id, "done");
                ran++;
            }

            session.Cli.Line(ran == 0 ? "nothing to backfill" : $"backfilled {ran} change(s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line every two seconds: rows done of the estimate, rate and ETA.</summary>
    private sealed class ProgressPrinter(CliSession session) : IProgress<BackfillProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.Zero;
        private long _firstRows = -1;

        public void Report(BackfillProgress value)
        {
            if (_firstRows < 0)
            {
                _firstRows = value.RowsDone;
            }

            if (_clock.Elapsed - _last < TimeSpan.FromSeconds(2))
            {
                return;
            }

            _last = _clock.Elapsed;
            double rate = (value.RowsDone - _firstRows) / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            string eta = rate > 0 && value.EstimatedTotal > value.RowsDone
                ? TimeSpan.FromSeconds((value.EstimatedTotal - value.RowsDone) / rate).ToString(@"hh\:mm\:ss")
                : "-";
            session.Cli.Line($"  {value.RowsDone}/~{value.EstimatedTotal} rows, {rate:0} rows/s, ETA {eta}, checkpoint {value.LastKey}");
        }
    }
}
