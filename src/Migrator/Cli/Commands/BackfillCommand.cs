using Migrator.Execution;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Planning;
using System.Data.Common;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>`backfill`: copies or transforms existing rows of expanded changes in keyset batches,
/// resuming from the ledger's checkpoint.</summary>
public static class BackfillCommand
{
    private static readonly Option<int?> BatchSize = new Option<int?>("--batch-size") { Description = "Rows per batch (default: the config's batchSize, 1000); with --target-batch-ms, the first batch's size" }.Between(1, 1_000_000);
    private static readonly Option<int?> TargetBatchMs = new Option<int?>("--target-batch-ms") { Description = "Size each batch to take about this many milliseconds (adaptive, 50..50000 rows; default 150 unless --batch-size is given)" }.Between(1, 600_000);
    private static readonly Option<double?> MaxRowsPerSecond = new Option<double?>("--max-rows-per-second") { Description = "Never update more rows per second than this" }.Between(0.001, 1e9);
    private static readonly Option<int> BatchDelayMs = new Option<int>("--batch-delay") { Description = "Milliseconds to pause after every batch", DefaultValueFactory = _ => 0 }.Between(0, 3_600_000);
    private static readonly Option<double?> MaxReplicaLag = new Option<double?>("--max-replica-lag") { Description = "Seconds: start no batch while a replica's replay lag (pg_stat_replication) is above this" }.Between(0.001, 86_400);
    private static readonly Option<string?> Replica = new Option<string?>("--replica") { Description = "application_name of the replica --max-replica-lag watches (default: the most lagging)" };
    private static readonly Option<string> MaxAppImpact = new Option<string>("--max-app-impact") { Description = "Impact-aware pacing: how much the app's latency may grow while the backfill runs (1 and up, default 2), or off for batches back to back", DefaultValueFactory = _ => "2" };
    private static readonly Option<string?> LatencyProbe = new Option<string?>("--latency-probe") { Description = "A read-only statement of the app's that the pacing times during each batch against its idle time" };
    private static readonly Option<int> Workers = new Option<int>("--workers") { Description = "Workers sharing the backfill through key ranges claimed in the ledger (other processes may join)", DefaultValueFactory = _ => 1 }.Between(1, MaxWorkers);

    /// <summary>More workers than this only queue on the table's locks and the server's connections.</summary>
    public const int MaxWorkers = 64;
    private static readonly Option<bool> SkipUserTriggers = new("--skip-user-triggers") { Description = "Keep the table's own triggers (audit, last_update) from firing on backfilled rows (SET LOCAL session_replication_role = replica; needs a superuser)" };
    private static readonly Option<string> Progress = new Option<string>("--progress") { Description = "text (default) or json: one JSON object per line, for pipelines", DefaultValueFactory = _ => "text" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("backfill", "Run the backfill of expanded changes in small resumable batches") { CommonOptions.Change, BatchSize, TargetBatchMs, MaxRowsPerSecond, BatchDelayMs, MaxAppImpact, LatencyProbe, MaxReplicaLag, Replica, Workers, SkipUserTriggers, Progress };
        Progress.AcceptOnlyFromAmong("text", "json");
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

            var options = new BackfillOptions(batchSize, session.Execution.LockTimeout)
            {
                // Adaptive by default; an explicit --batch-size alone means fixed batches of that size.
                TargetBatchDuration = parse.GetValue(TargetBatchMs) is { } ms ? TimeSpan.FromMilliseconds(ms)
                    : parse.GetValue(BatchSize) is null ? TimeSpan.FromMilliseconds(150) : null,
                MaxRowsPerSecond = parse.GetValue(MaxRowsPerSecond),
                BatchDelay = TimeSpan.FromMilliseconds(parse.GetValue(BatchDelayMs)),
                MaxReplicaLag = parse.GetValue(MaxReplicaLag) is { } lag ? TimeSpan.FromSeconds(lag) : null,
                Replica = parse.GetValue(Replica),
                SkipUserTriggers = parse.GetValue(SkipUserTriggers),
                MaxAppImpact = ParseImpact(parse.GetValue(MaxAppImpact)!),
                LatencyProbe = parse.GetValue(LatencyProbe),
            };
            if (options.Replica is not null && options.MaxReplicaLag is null)
            {
                throw new MigratorException(ExitCodes.BadInput, "--replica names the replica --max-replica-lag watches: give --max-replica-lag too");
            }

            options.Validate();
            bool json = parse.GetValue(Progress) == "json";
            int workers = parse.GetValue(Workers);
            if (workers < 1)
            {
                throw new MigratorException(ExitCodes.BadInput, $"--workers must be at least 1 (got {workers})");
            }

            await session.ConnectAsync(cancellation, sharedLock: true);
            var states = await session.StatesAsync();
            if (only is not null && !states(selected[0]).IsExpanded())
            {
                throw new MigratorException(ExitCodes.Unsafe, $"change {only} is {states(selected[0]).Label()}: expand it before its backfill");
            }

            // A contract that stopped before any destructive step (a VALIDATE refused by bad rows, say)
            // leaves the old and new columns both there: the backfill may run again to repair the rows.
            var phases = await session.RequireLedger.PhasesAsync();
            bool Repairable(ChangePlan p) =>
                states(p) == ChangeState.Contracting
                && phases.GetValueOrDefault((p.Id, Phase.Contract)) is { Status: "failed" or "stopped" } contract
                && !DestructiveSteps.AnyIn(PhaseExecutor.Deserialize(contract.Steps), contract.StepsDone);
            // A contracted change's backfill is done for good: asked again, it is a no-op (safe to re-run).
            if (only is not null && states(selected[0]) == ChangeState.Contracting && !Repairable(selected[0]))
            {
                throw new MigratorException(ExitCodes.Unsafe,
                    $"change {only} is {states(selected[0]).Label()}: its contract has run a destructive step (or is running), so the old shape a backfill reads from may be gone");
            }

            var runner = new BackfillRunner(session.RequireLedger.Connection, new CheckpointStore(session.Config.LedgerSchema), options)
            {
                ReplicaWaiting = lag => session.Log($"  waiting: replica replay lag {lag.TotalSeconds:0.0} s is above {options.MaxReplicaLag!.Value.TotalSeconds:0.0} s"),
                // With workers, the runner is their final pass: it reads the table for the rows they left.
                AfterWorkers = workers > 1,
            };
            int ran = 0;
            foreach (var plan in selected.Where(p => p.HasBackfill && (states(p) is ChangeState.Expanded or ChangeState.Backfilling || Repairable(p))))
            {
                await session.RequireLedger.StartPhaseAsync(plan.Id, Phase.Backfill, plan.Checksum(Phase.Backfill), "[]");
                foreach (var spec in plan.Backfills)
                {
                    if (!json)
                    {
                        session.Cli.Line($"backfill {plan.Id}: {spec.Schema}.{spec.Table} SET {spec.Set}");
                    }

                    BackfillResult result;
                    try
                    {
                        long parallelRows = 0;
                        if (workers > 1)
                        {
                            parallelRows = await new ParallelBackfill(session.OpenAsync, session.Config.LedgerSchema, options)
                                .RunAsync(plan.Id, spec, workers, json ? new ProgressPrinter(session, plan.Id, spec, json) : null, cancellation);
                            session.Log($"  {workers} workers updated {parallelRows} rows; final pass");
                        }

                        result = !json && session.Out.Profile.Capabilities.Interactive
                            ? await RunWithBarAsync(session, runner, plan.Id, spec, cancellation)
                            : await runner.RunAsync(plan.Id, spec, new ProgressPrinter(session, plan.Id, spec, json), cancellation);
                        result = result with { RowsUpdated = result.RowsUpdated + parallelRows, AlreadyComplete = result.AlreadyComplete && parallelRows == 0 };
                    }
                    catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                    {
                        long done = (await session.RequireLedger.BackfillProgressAsync()).TryGetValue(plan.Id, out var progress) ? progress.Rows : 0;
                        string where = $"stopped by a signal at a batch boundary after {done:N0} rows; resume with `dotnet migrator backfill --change {plan.Id}`";
                        await session.RequireLedger.StopPhaseAsync(plan.Id, Phase.Backfill, where);
                        await session.HistoryAsync("backfill", plan.Id, "stopped", where);
                        session.Cli.Line($"backfill {plan.Id}: {where}");
                        return ExitCodes.Stopped;
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // Whatever stopped it (a database error, a cancel, a bug), the phase must not stay
                        // 'running'. Best effort: when the connection itself is gone, the error to report is
                        // still this one.
                        string why = MigratorCli.Describe(e).Message;
                        try
                        {
                            await session.RequireLedger.FailPhaseAsync(plan.Id, Phase.Backfill, why);
                            await session.HistoryAsync("backfill", plan.Id, "failed", why);
                        }
                        catch (Exception inner) when (inner is DbException or InvalidOperationException)
                        {
                        }

                        throw;
                    }

                    if (json)
                    {
                        session.Cli.Data(JsonSerializer.Serialize(new
                        {
                            @event = "done",
                            change = plan.Id,
                            table = $"{spec.Schema}.{spec.Table}",
                            rows_updated = result.RowsUpdated,
                            batches = result.Batches,
                            already_complete = result.AlreadyComplete,
                            verified_complete = true,
                        }));
                    }
                    else
                    {
                        session.Cli.Line(result.AlreadyComplete
                            ? "  already complete (verified: no row left to do)"
                            : $"  {result.RowsUpdated} rows in {result.Batches} batches; verified: no row left to do");
                    }
                }

                await session.RequireLedger.FinishPhaseAsync(plan.Id, Phase.Backfill);
                await session.HistoryAsync("backfill", plan.Id, "done");
                ran++;
            }

            if (!json)
            {
                session.Cli.Line(ran == 0 ? "nothing to backfill" : $"backfilled {ran} change(s)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>On a terminal: a live progress bar with rows done of the estimate (pg_class.reltuples),
    /// rows/s and the remaining time.</summary>
    private static async Task<BackfillResult> RunWithBarAsync(CliSession session, BackfillRunner runner, long changeId, BackfillSpec spec, CancellationToken cancellation)
    {
        BackfillResult? result = null;
        int width = session.Out.Profile.Width;
        int barWidth = width >= 120 ? 40 : Math.Max(10, width / 5);

        // Description, bar, "100%", "00:00:00" and the spinner, a space between each: the description
        // gets what is left, and is shortened to fit it rather than wrapped.
        int room = Math.Max(10, width - barWidth - 4 - 8 - 1 - 5);
        string name = $"{spec.Schema}.{spec.Table}";
        await session.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = barWidth }, new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(ProgressText(name, 0, 0, 0, 0, room)), maxValue: 1);
                result = await runner.RunAsync(changeId, spec, new ProgressBar(task, name, room), cancellation);
                task.MaxValue = Math.Max(task.MaxValue, task.Value);
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return result!;
    }

    /// <summary>The bar's description in at most <paramref name="room"/> characters: the most it can
    /// say, dropping the batch size, then the rate, then the counts; a long table name is cut in the
    /// middle only when nothing else is left.</summary>
    internal static string ProgressText(string table, long done, long total, double rate, int batch, int room)
    {
        string counts = $"{done:N0}/~{total:N0} rows";
        string[] candidates =
        [
            $"{table}: {counts}, {rate:N0} rows/s, batch {batch:N0}",
            $"{table}: {counts}, {rate:N0} rows/s",
            $"{table}: {counts}",
            $"{table}: {done:N0} rows",
            table,
        ];
        foreach (string candidate in candidates)
        {
            if (candidate.Length <= room)
            {
                return candidate;
            }
        }

        int keep = Math.Max(1, room - 1);
        return table[..(keep / 2)] + "…" + table[^(keep - (keep / 2))..];
    }

    private sealed class ProgressBar(ProgressTask task, string table, int room) : IProgress<BackfillProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _firstRows = -1;

        public void Report(BackfillProgress value)
        {
            _firstRows = _firstRows < 0 ? value.RowsDone : _firstRows;
            double rate = (value.RowsDone - _firstRows) / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            task.MaxValue = Math.Max(1, Math.Max(value.EstimatedTotal, value.RowsDone));
            task.Value = value.RowsDone;
            task.Description = Markup.Escape(ProgressText(table, value.RowsDone, value.EstimatedTotal, rate, value.BatchSize, room));
        }
    }

    /// <summary>Progress every two seconds (text) or every second (one JSON object per line): rows done
    /// of the estimate, rate, ETA, batch size and checkpoint.</summary>
    private static double? ParseImpact(string text) =>
        text.Equals("off", StringComparison.OrdinalIgnoreCase) ? null
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double m) && double.IsFinite(m) && m >= 1 && m <= 1000 ? m
        : throw new MigratorException(ExitCodes.BadInput, $"--max-app-impact must be a number from 1 to 1000, or off (got '{text}')");

    private sealed class ProgressPrinter(CliSession session, long changeId, BackfillSpec spec, bool json) : IProgress<BackfillProgress>
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

            if (_clock.Elapsed - _last < TimeSpan.FromSeconds(json ? 1 : 2))
            {
                return;
            }

            _last = _clock.Elapsed;
            double rate = (value.RowsDone - _firstRows) / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            double? eta = rate > 0 && value.EstimatedTotal > value.RowsDone ? (value.EstimatedTotal - value.RowsDone) / rate : null;
            if (json)
            {
                session.Cli.Data(JsonSerializer.Serialize(new
                {
                    @event = "progress",
                    change = changeId,
                    table = $"{spec.Schema}.{spec.Table}",
                    rows_done = value.RowsDone,
                    estimated_total = value.EstimatedTotal,
                    rows_per_second = Math.Round(rate),
                    eta_seconds = eta is { } s ? Math.Round(s) : (double?)null,
                    batch_size = value.BatchSize,
                    pass = value.Pass,
                    checkpoint = value.LastKey,
                    app_present = value.AppPresent,
                    app_light = value.AppLight,
                    app_remote = value.AppRemote,
                    duty = Math.Round(value.Duty, 3),
                    pause_ms = Math.Round(value.Pause.TotalMilliseconds),
                }));
                return;
            }

            string text = eta is { } seconds ? TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss") : "-";
            string pacing = value.AppPresent ? $", app {(value.AppLight ? "light" : "active")}{(value.AppRemote ? " on other hosts" : "")}: running {value.Duty:P0} of the time" : "";
            session.Cli.Line($"  {value.RowsDone}/~{value.EstimatedTotal} rows, {rate:0} rows/s, ETA {text}, batch {value.BatchSize}{pacing}, checkpoint {value.LastKey}");
        }
    }
}
