using Semver;

namespace Migrator.Reports;

/// <summary>
/// The rollout as a Mermaid timeline, one round per app version the changes need: expand its changes →
/// deploy it → backfill → switch traffic → retire older versions → contract what waited for them.
/// </summary>
public static class RolloutTimeline
{
    public static string Mermaid(PlanReport report)
    {
        var lines = new List<string> { "timeline", "    title Rollout" };
        var versions = report.Plans.Select(p => p.Change.AppVersion).Distinct().OrderBy(v => v, SemVersion.PrecedenceComparer).ToList();
        SemVersion? previous = null;
        foreach (var version in versions)
        {
            var needed = report.Plans.Where(p => p.Change.AppVersion == version).ToList();
            var contracts = report.Plans.Where(p => p.Contract.Count > 0 && p.Change.ContractAfter == version).ToList();
            lines.Add($"    section {version}");
            lines.Add($"        expand : {Ids(needed)}");
            lines.Add($"        deploy {version} : register {version} beside {(previous is null ? "nothing" : previous.ToString())}");
            var backfills = needed.Where(p => p.HasBackfill).ToList();
            lines.Add($"        backfill : {(backfills.Count == 0 ? "nothing to copy" : Ids(backfills))}");
            lines.Add($"        switch : gate --to {version} then traffic to {version}");
            lines.Add($"        retire : {(previous is null ? "nothing older" : $"versions older than {version}")}");
            lines.Add($"        contract : {(contracts.Count == 0 ? "nothing" : Ids(contracts))}");
            previous = version;
        }

        return string.Join("\n", lines);
    }

    private static string Ids(IEnumerable<Planning.ChangePlan> plans) =>
        string.Join(" : ", plans.Select(p => $"change {p.Id} {p.Change.Name}".Replace(":", " ")));
}
