using Migrator.Authoring;
using Migrator.Ledger;

namespace Migrator.Planning;

/// <summary>Where a change is in its lifecycle: pending → expanded → backfilled → contracted.</summary>
public enum ChangeState
{
    RollingBack,
    Pending,
    Expanding,
    Expanded,
    Backfilling,
    Backfilled,
    Contracting,
    Contracted,
}

/// <summary>Derives a change's state from its phase records.</summary>
public static class ChangeStates
{
    public static ChangeState Of(ChangePlan plan, IReadOnlyDictionary<(long, Phase), PhaseRecord> phases)
    {
        var expand = phases.GetValueOrDefault((plan.Id, Phase.Expand));
        var backfill = phases.GetValueOrDefault((plan.Id, Phase.Backfill));
        var contract = phases.GetValueOrDefault((plan.Id, Phase.Contract));
        var rollback = phases.GetValueOrDefault((plan.Id, Phase.Rollback));
        if (rollback is not null)
        {
            return rollback.IsDone ? ChangeState.Pending : ChangeState.RollingBack;
        }

        return (expand, backfill, contract) switch
        {
            (_, _, { IsDone: true }) => ChangeState.Contracted,
            (_, _, not null) => ChangeState.Contracting,
            ({ IsDone: true }, { IsDone: true }, _) => ChangeState.Backfilled,
            ({ IsDone: true }, _, _) when !plan.HasBackfill => ChangeState.Backfilled,
            ({ IsDone: true }, not null, _) => ChangeState.Backfilling,
            ({ IsDone: true }, _, _) => ChangeState.Expanded,
            (not null, _, _) => ChangeState.Expanding,
            _ => ChangeState.Pending,
        };
    }

    public static bool IsExpanded(this ChangeState state) => state >= ChangeState.Expanded;

    /// <summary>True when nothing of the change is in flight any more: contracted, or backfilled with
    /// nothing to contract. A later change that alters the same objects may expand only then.</summary>
    public static bool IsSettled(this ChangeState state, ChangePlan plan) =>
        state == ChangeState.Contracted || (state == ChangeState.Backfilled && plan.Contract.Count == 0);

    public static string Label(this ChangeState state) => state == ChangeState.RollingBack ? "rolling back" : state.ToString().ToLowerInvariant();
}
