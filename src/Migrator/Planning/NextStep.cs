using Migrator.Ledger;

namespace Migrator.Planning;

/// <summary>What may run next for a change, given its state and the live versions.</summary>
public static class NextStep
{
    public static string Describe(ChangePlan plan, ChangeState state, IReadOnlyList<Deployment> live) => state switch
    {
        ChangeState.RollingBack => "rollback (resume)",
        ChangeState.Pending when plan.WaitsFor.Count > 0 => $"expand, once change(s) {string.Join(", ", plan.WaitsFor.Select(w => w.Id))} are settled",
        ChangeState.Pending => "expand",
        ChangeState.Expanding => "expand (resume)",
        ChangeState.Expanded => "backfill",
        ChangeState.Backfilling => "backfill (resume)",
        ChangeState.Backfilled when VersionRules.VersionsBrokenByContract(plan, live) is { Count: > 0 } blocking =>
            $"contract after retiring {string.Join(", ", blocking)}",
        ChangeState.Backfilled => "contract",
        ChangeState.Contracting => "contract (resume)",
        _ => "nothing (done)",
    };
}
