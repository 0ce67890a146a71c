using Migrator.Ledger;

namespace Migrator.Planning;

/// <summary>What may run next for a change, given its state, the live versions, the changes not settled
/// yet and the holds placed.</summary>
public static class NextStep
{
    public static string Describe(ChangePlan plan, ChangeState state, IReadOnlyList<Deployment> live, IReadOnlyCollection<long>? unsettled = null, IReadOnlyList<Hold>? holds = null) => state switch
    {
        ChangeState.RollingBack => "rollback (resume)",
        ChangeState.Pending when plan.WaitsFor.Where(w => unsettled?.Contains(w.Id) != false).Select(w => w.Id).Distinct().ToList() is { Count: > 0 } waiting =>
            $"expand, once change(s) {string.Join(", ", waiting)} are settled",
        ChangeState.Pending => "expand",
        ChangeState.Expanding => "expand (resume)",
        ChangeState.Expanded => "backfill",
        ChangeState.Backfilling => "backfill (resume)",
        ChangeState.Backfilled when plan.Contract.Count == 0 => "contract (nothing to drop: any time)",
        ChangeState.Backfilled when VersionRules.VersionsBrokenByContract(plan, live) is { Count: > 0 } blocking =>
            $"contract after retiring {string.Join(", ", blocking)}",
        ChangeState.Backfilled when holds?.Where(h => h.Holds(plan.Id)).ToList() is { Count: > 0 } held =>
            $"contract after releasing hold {string.Join(", ", held.Select(h => h.Name))}",
        ChangeState.Backfilled => "contract",
        ChangeState.Contracting => "contract (resume)",
        _ => "nothing (done)",
    };
}
