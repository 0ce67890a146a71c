using Migrator.Ledger;
using Semver;

namespace Migrator.Planning;

/// <summary>
/// The rules that tie phases to deploys (docs/architecture.md, "Version rules").
/// </summary>
public static class VersionRules
{
    /// <summary>Changes an app version needs: every change whose AppVersion is not newer than it.</summary>
    public static IEnumerable<ChangePlan> NeededBy(IEnumerable<ChangePlan> plans, SemVersion version) =>
        plans.Where(p => p.Change.AppVersion.ComparePrecedenceTo(version) <= 0);

    /// <summary>Why registering <paramref name="version"/> must be refused: its changes not expanded yet.</summary>
    public static IReadOnlyList<string> RegisterBlockers(IEnumerable<ChangePlan> plans, SemVersion version, Func<ChangePlan, ChangeState> state) =>
        [.. NeededBy(plans, version).Where(p => !state(p).IsExpanded())
            .Select(p => $"change {p.Id} ({p.Change.Description}) needed by {version} is {state(p).Label()}, not expanded: run `dotnet migrator expand` first")];

    /// <summary>
    /// Why <paramref name="version"/> cannot be live again: changes whose contract has started (so the
    /// old shape is, or is being, removed) and that an older version than their ContractAfter needs.
    /// Registering it would send its traffic to columns that are gone.
    /// </summary>
    public static IReadOnlyList<string> RemovedShapes(IEnumerable<ChangePlan> plans, SemVersion version, Func<ChangePlan, ChangeState> state) =>
        [.. plans.Where(p => state(p) >= ChangeState.Contracting && state(p) != ChangeState.RollingBack && version.ComparePrecedenceTo(p.Change.ContractAfter) < 0)
            .Select(p => $"change {p.Id} ({p.Change.Description}) is {state(p).Label()}: its contract removes what versions before {p.Change.ContractAfter} use ({string.Join(", ", p.Targets.Select(t => t.ToString()))})")];

    /// <summary>Live versions older than the change's ContractAfter: contract would break them.</summary>
    public static IReadOnlyList<string> VersionsBrokenByContract(ChangePlan plan, IEnumerable<Deployment> live) =>
        [.. live.Where(d => SemVersion.TryParse(d.AppVersion, SemVersionStyles.Strict, out var v) && v.ComparePrecedenceTo(plan.Change.ContractAfter) < 0)
            .Select(d => d.AppVersion).Distinct()];
}
