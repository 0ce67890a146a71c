using System.CommandLine;
using Migrator.Authoring;
using Migrator.Planning;
using Semver;

namespace Migrator.Cli.Commands;

/// <summary>
/// `rollback --change ID`: undoes a change's expand (and a partial backfill) before its contract
/// starts, so the schema is exactly as before; the change is pending again. Refused once contract has
/// started, while a later change built on it is in flight, or while a live app version needs it
/// (unless --force, recorded in the history).
/// </summary>
public static class RollbackCommand
{
    private static readonly Option<long> ChangeId = new("--change") { Description = "Id of the change to roll back", Required = true };
    private static readonly Option<bool> Force = new("--force") { Description = "Roll back even though live versions need the change (recorded in the history)" };

    public static Command Create(CliContext cli)
    {
        var command = new Command("rollback", "Undo a change's expand (and partial backfill) before its contract starts") { ChangeId, Force };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = CliSession.Load(cli, parse);
            var plan = session.FindChange(parse.GetValue(ChangeId));
            await session.ConnectAsync(cancellation);
            var states = await session.StatesAsync();
            var state = states(plan);
            if (state == ChangeState.Pending)
            {
                session.Cli.Line($"nothing to roll back: change {plan.Id} is pending");
                return ExitCodes.Ok;
            }

            string? refusal = null;
            if (state >= ChangeState.Contracting)
            {
                refusal = $"change {plan.Id} is {state.Label()}: rollback is possible only until contract starts";
            }
            else if (plan.RollbackUnavailable is { } why)
            {
                refusal = $"change {plan.Id} cannot be rolled back: {why}";
            }
            else if (session.Plans.FirstOrDefault(p => p.WaitsFor.Any(w => w.Id == plan.Id) && states(p) != ChangeState.Pending) is { } later)
            {
                refusal = $"change {later.Id} ({states(later).Label()}) builds on change {plan.Id}: roll it back first";
            }

            var live = await session.RequireLedger.DeploymentsAsync(liveOnly: true);
            var needing = live.Where(d => SemVersion.TryParse(d.AppVersion, SemVersionStyles.Strict, out var v)
                && v.ComparePrecedenceTo(plan.Change.AppVersion) >= 0).Select(d => d.AppVersion).Distinct().ToList();
            bool force = parse.GetValue(Force);
            if (refusal is null && needing.Count > 0 && !force)
            {
                refusal = $"live version(s) {string.Join(", ", needing)} need change {plan.Id}: retire them first, or --force";
            }

            if (refusal is not null)
            {
                await session.HistoryAsync("rollback", plan.Id, "refused", refusal);
                throw new MigratorException(ExitCodes.Unsafe, refusal);
            }

            string? detail = needing.Count > 0 ? $"forced while {string.Join(", ", needing)} live" : null;
            if (detail is not null)
            {
                session.Cli.Warn($"--force: rolling back change {plan.Id} breaks live version(s) {string.Join(", ", needing)}");
            }

            var kept = await session.RunPhaseAsync(plan, Phase.Rollback, detail, cancellation);
            foreach (string what in kept)
            {
                session.Cli.Line($"kept {what}: the ledger does not show change {plan.Id} created it");
            }

            await session.RequireLedger.ForgetRolledBackAsync();
            session.Cli.Line($"rolled back change {plan.Id}: it is pending again");
            return ExitCodes.Ok;
        });
        return command;
    }
}
