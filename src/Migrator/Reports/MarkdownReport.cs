using System.Text;
using Migrator.Authoring;
using Migrator.Compatibility;

namespace Migrator.Reports;

/// <summary>The report as a pull-request comment: a summary line, a table per change, findings with
/// file:line, and the rollout as a Mermaid timeline.</summary>
public static class MarkdownReport
{
    public static string Render(PlanReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"## Migrator {report.Title}: {(report.Safe ? "✅" : "❌")} {report.Summary}");
        md.AppendLine();
        if (report.Checks.Count > 0)
        {
            md.AppendLine("| | Check |");
            md.AppendLine("|---|---|");
            foreach (var check in report.Checks)
            {
                md.AppendLine($"| {check.State switch { GateCheck.Ok => "✅", GateCheck.Pending => "⏳", _ => "❌" }} | {Cell(check.What)} |");
            }

            md.AppendLine();
        }

        foreach (var plan in report.Plans)
        {
            md.AppendLine($"### Change {plan.Id}: {Cell(plan.Change.Description)}");
            md.AppendLine();
            md.AppendLine($"Needed by app {plan.Change.AppVersion}; contract once no live version is older than {plan.Change.ContractAfter}. State: {report.StateOf(plan)}.");
            md.AppendLine();
            md.AppendLine("| Phase | Steps | What runs |");
            md.AppendLine("|---|---|---|");
            md.AppendLine($"| expand | {plan.Expand.Count} | {Cell(Summary(plan, Phase.Expand))} |");
            md.AppendLine($"| backfill | {plan.Backfills.Count} | {Cell(plan.HasBackfill ? string.Join("; ", plan.Backfills.Select(b => $"{b.Schema}.{b.Table}: SET {b.Set}")) : "nothing to copy")} |");
            md.AppendLine($"| contract | {plan.Contract.Count} | {Cell(Summary(plan, Phase.Contract))} |");
            md.AppendLine($"| rollback | {plan.Rollback.Count} | {Cell(plan.RollbackUnavailable ?? Summary(plan, Phase.Rollback))} |");
            md.AppendLine();
            var findings = report.Findings.Where(f => f.ChangeId == plan.Id).ToList();
            if (findings.Count > 0)
            {
                Findings(md, findings);
            }
        }

        var general = report.Findings.Where(f => f.ChangeId is null).ToList();
        if (general.Count > 0)
        {
            md.AppendLine("### App versions");
            md.AppendLine();
            Findings(md, general);
        }

        md.AppendLine("### Rollout");
        md.AppendLine();
        md.AppendLine("```mermaid");
        md.AppendLine(RolloutTimeline.Mermaid(report));
        md.AppendLine("```");
        return md.ToString();
    }

    private static void Findings(StringBuilder md, IReadOnlyList<Finding> findings)
    {
        md.AppendLine("| | Rule | Phase | App version | Where | Finding |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var f in findings.OrderByDescending(f => f.Severity))
        {
            string icon = f.Severity switch { Severity.Error => "❌", Severity.Warning => "⚠️", _ => "ℹ️" };
            md.AppendLine($"| {icon} | [{f.RuleId}](docs/rules/{f.RuleId}.md) | {f.Phase ?? ""} | {f.AppVersion ?? ""} | {(f.Location is null ? "" : $"`{f.Location}`")} | {Cell(f.Message)} |");
        }

        md.AppendLine();
    }

    /// <summary>The statements of a phase, first line of each, shortened.</summary>
    private static string Summary(Planning.ChangePlan plan, Phase phase)
    {
        var statements = plan.Steps(phase).SelectMany(s => s.Statements).Where(s => !s.IsBoundary).ToList();
        if (statements.Count == 0)
        {
            return "nothing";
        }

        var heads = statements.Select(s => s.Sql.Split('\n')[0].Trim()).Select(s => s.Length > 70 ? s[..67] + "..." : s);
        return string.Join("<br>", heads.Select(h => $"`{h.Replace("`", "'")}`"));
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
}
