using System.CommandLine;
using Migrator.Backfill;
using Migrator.Cli;
using Migrator.Compatibility;
using Migrator.Execution;
using Migrator.Planning;
using Migrator.Reports;
using Semver;
using Spectre.Console;

namespace Migrator.Cli.Commands;

/// <summary>
/// `gate --to V`: opens (exit 0) only when every change V needs is expanded and its backfill verified
/// complete, and no contracted change has removed a shape V or a live version still needs. Prints a
/// checklist either way; exit 1 when closed.
/// </summary>
public static class GateCommand
{
    private static readonly Option<string> To = new("--to") { Description = "The app version traffic is about to switch to", Required = true };

    public static Command Create(CliContext cli)
    {
        var command = new Command("gate", "Exit 0 only if switching traffic to the given app version is safe now") { To };
        ReportOptions.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            string text = parse.GetValue(To)!;
            var target = ChangeCatalog.ParseVersion(text, "--to");
            ReportOptions.CheckOutput(parse);
            await using var session = CliSession.Load(cli, parse);
            await session.ConnectReadOnlyAsync(cancellation);
            var states = await session.StatesAsync();
            var live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
            var checks = new List<GateCheck>();
            var progressByChange = await session.RequireLedger.BackfillProgressAsync();
            foreach (var plan in VersionRules.NeededBy(session.Plans, target))
            {
                var state = states(plan);
                checks.Add(new GateCheck($"expanded:{plan.Id}", "expanded", GateCheck.StateOf(state.IsExpanded(), state == ChangeState.RollingBack),
                    $"change {plan.Id} ({plan.Change.Description}) expanded [{state.Label()}]")
                { ChangeId = plan.Id });
                (long Rows, DateTime Started, DateTime Updated)? progress = progressByChange.TryGetValue(plan.Id, out var found) ? found : null;
                bool allComplete = true;
                foreach (var spec in plan.Backfills)
                {
                    // Once contracted the backfilled columns may be gone: the contract itself required the backfill complete.
                    bool complete = state == ChangeState.Contracted
                        || (state.IsExpanded() && await BackfillRunner.IsCompleteAsync(session.RequireLedger.Connection, spec));
                    allComplete &= complete;
                    long? total = complete || !state.IsExpanded() ? null : await BackfillRunner.EstimateRowsAsync(session.RequireLedger.Connection, spec);
                    double? eta = null;
                    if (!complete && progress is { } p && total is { } t && p.Rows > 0 && p.Updated > p.Started)
                    {
                        double rate = p.Rows / (p.Updated - p.Started).TotalSeconds;
                        eta = Math.Round(Math.Max(0, t - p.Rows) / rate, 1);
                    }

                    checks.Add(new GateCheck($"backfilled:{plan.Id}:{spec.Schema}.{spec.Table}", "backfilled", GateCheck.StateOf(complete, false),
                        $"change {plan.Id} backfill of {spec.Schema}.{spec.Table} verified complete (no row matches the pending predicate)")
                    {
                        ChangeId = plan.Id,
                        RowsDone = progress?.Rows,
                        RowsTotal = total,
                        EtaSeconds = eta,
                    });
                }

                // An open gate means the contract's validations will succeed on the data as it is.
                if (state.IsExpanded() && state < ChangeState.Contracting)
                {
                    int n = 0;
                    foreach (var (precondition, holds) in await PreconditionCheck.RunAsync(session.RequireLedger.Connection, plan))
                    {
                        // Not holding while the backfill is still to finish is "not yet"; after it, someone must fix rows.
                        checks.Add(new GateCheck($"contract-precondition:{plan.Id}:{++n}", "contract-precondition", GateCheck.StateOf(holds, allComplete),
                            $"change {plan.Id} contract precondition: {precondition.What}")
                        { ChangeId = plan.Id });
                    }
                }
            }

            var drift = await session.DriftAsync(cancellation);
            var gated = VersionRules.NeededBy(session.Plans, target).Where(p => states(p) < ChangeState.Contracted).ToList();
            if (drift.Recorded)
            {
                var touching = DriftCheck.Touching(drift.Items, gated.SelectMany(p => p.Targets));
                checks.Add(new GateCheck("drift", "drift", GateCheck.StateOf(touching.Count == 0, true), touching.Count == 0
                    ? $"no drift on the tables the changes {target} needs alter ({drift.Summary})"
                    : $"drift on a table the changes {target} needs alter: {touching[0]}{(touching.Count > 1 ? $" (and {touching.Count - 1} more)" : "")}"));
            }

            // Holds keep contracts waiting; they never stop traffic from switching, so they are listed, ok.
            foreach (var hold in await session.RequireLedger.HoldsAsync())
            {
                checks.Add(new GateCheck($"hold:{hold.Name}", "hold", GateCheck.Ok, $"{hold} keeps {(hold.ChangeId is { } id ? $"the contract of change {id}" : "every contract")} waiting; traffic may switch")
                {
                    ChangeId = hold.ChangeId,
                });
            }

            var versions = new List<SemVersion> { target };
            versions.AddRange(live.Select(d => SemVersion.Parse(d.AppVersion, SemVersionStyles.Strict)).Where(v => v != target));
            var usage = await CompatibilityInputs.VersionsAsync(session, ReportOptions.Manifests(parse), [target.ToString()]);
            foreach (var version in versions)
            {
                // A version with a manifest is judged by what it uses (the checker below, against the
                // schema as it is); one without by the conservative rule: any contract that removed
                // something it may use. A contract that removes nothing never closes the gate.
                bool known = usage.Any(u => u.Version == version && u.Manifest is not null);
                var removed = known ? [] : session.Plans
                    .Where(p => p.Contract.Count > 0 && states(p) >= ChangeState.Contracting && version.ComparePrecedenceTo(p.Change.ContractAfter) < 0)
                    .Select(p => p.Id.ToString())
                    .ToList();
                string who = version == target ? $"{version} (target)" : $"{version} (live)";
                checks.Add(new GateCheck($"version:{version}", "version", GateCheck.StateOf(removed.Count == 0, true), known
                    ? $"{who}: judged by its usage manifest against the schema as it is now (findings below)"
                    : removed.Count == 0
                    ? $"{who}: no contracted change removed a shape it needs"
                    : $"{who}: contracted change(s) {string.Join(", ", removed)} removed the shape it needs")
                { Version = version.ToString() });
            }

            var findings = CompatibilityChecker.CheckNow(await CompatibilityInputs.LiveSchemaAsync(session), usage).ToList();
            foreach (var version in usage.Where(u => u.Manifest is not null).Select(u => u.Version).Distinct())
            {
                var errors = findings.Where(f => f.Severity == Severity.Error && f.AppVersion == version.ToString()).ToList();
                checks.Add(new GateCheck($"usage:{version}", "usage", GateCheck.StateOf(errors.Count == 0, true), errors.Count == 0
                    ? $"{version}: every statement in its usage manifest finds its tables and columns now"
                    : $"{version}: {errors.Count} statement(s) of its usage manifest would fail now: {errors[0].Message}")
                {
                    Version = version.ToString(),
                    Findings = [.. errors.Select(f => f.RuleId).Distinct()],
                });
            }

            findings.AddRange(drift.Items.Select(d => new Finding(Analyzers.RuleIds.SchemaDrift, Severity.Warning, $"drift since {drift.After}: {d}")));
            var report = new PlanReport($"gate to {target}", session.Plans, states, usage, findings) { Checks = checks, RuleDocsUrl = session.Config.RuleDocsUrl };
            bool open = report.Safe;
            ReportWriter.Write(cli, report, parse.GetValue(ReportOptions.Format)!, parse.GetValue(ReportOptions.Output), () =>
            {
                var table = new CliTable($"Gate to {target}: {(open ? "OPEN" : "CLOSED")}", "", "Check");
                foreach (var check in checks)
                {
                    string extra = check.RowsDone is { } done ? $" ({done:N0}{(check.RowsTotal is { } all ? $" of ~{all:N0}" : "")} rows{(check.EtaSeconds is { } eta ? $", ~{eta:N0} s left" : "")})" : "";
                    table.AddRow(check.State switch { GateCheck.Ok => "ok", GateCheck.Pending => "WAIT", _ => "FAIL" }, check.What + extra);
                }

                table.Write(session.Cli);
            });
            if (parse.GetValue(ReportOptions.Format) == "text")
            {
                session.Cli.Line(open ? $"gate open: traffic may switch to {target}" : $"gate closed: traffic must not switch to {target}");
            }
            await session.HistoryAsync("gate --to " + text, null, open ? "open" : "closed");
            return open ? ExitCodes.Ok : ExitCodes.Unsafe;
        });
        return command;
    }
}
