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
            md.AppendLine($"| expand | {plan.Expand.Count} | {Count(plan, Phase.Expand)} |");
            md.AppendLine($"| backfill | {plan.Backfills.Count} | {Cell(plan.HasBackfill ? string.Join("; ", plan.Backfills.Select(b => $"{b.Schema}.{b.Table}: SET {b.Set}")) : "nothing to copy")} |");
            md.AppendLine($"| contract | {plan.Contract.Count} | {Count(plan, Phase.Contract)} |");
            md.AppendLine($"| rollback | {plan.Rollback.Count} | {(plan.RollbackUnavailable is { } why ? Cell(why) : Count(plan, Phase.Rollback))} |");
            md.AppendLine();
            foreach (var phase in new[] { Phase.Expand, Phase.Contract, Phase.Rollback })
            {
                Statements(md, plan, phase);
            }

            var findings = report.Findings.Where(f => f.ChangeId == plan.Id).ToList();
            if (findings.Count > 0)
            {
                Findings(md, findings, report.RuleDocsUrl);
            }
        }

        var general = report.Findings.Where(f => f.ChangeId is null).ToList();
        if (general.Count > 0)
        {
            md.AppendLine("### App versions");
            md.AppendLine();
            Findings(md, general, report.RuleDocsUrl);
        }

        md.AppendLine("### Rollout");
        md.AppendLine();
        md.AppendLine("```mermaid");
        md.AppendLine(RolloutTimeline.Mermaid(report));
        md.AppendLine("```");
        return md.ToString();
    }

    private static void Findings(StringBuilder md, IReadOnlyList<Finding> findings, string docsUrl)
    {
        md.AppendLine("| | Rule | Phase | App version | Where | Finding |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var f in findings.OrderByDescending(f => f.Severity))
        {
            string icon = f.Severity switch { Severity.Error => "❌", Severity.Warning => "⚠️", _ => "ℹ️" };
            md.AppendLine($"| {icon} | [{f.RuleId}]({Analyzers.RuleInfo.DocsUrl(f.RuleId, docsUrl)}) | {f.Phase ?? ""} | {f.AppVersion ?? ""} | {(f.Location is null ? "" : $"`{f.Location}`")} | {Cell(f.Message)} |");
        }

        md.AppendLine();
    }

    /// <summary>Statements longer than this many lines in all are shown collapsed.</summary>
    public const int CollapseAfterLines = 15;

    private static string Count(Planning.ChangePlan plan, Phase phase)
    {
        int statements = plan.Steps(phase).SelectMany(s => s.Statements).Count(s => !s.IsBoundary);
        return statements == 0 ? "nothing" : $"{statements} statement(s), below";
    }

    /// <summary>A phase's statements, each whole, step by step, in a SQL block: open when short, in a
    /// collapsed &lt;details&gt; when long.</summary>
    private static void Statements(StringBuilder md, Planning.ChangePlan plan, Phase phase)
    {
        var steps = plan.Steps(phase);
        var sql = new StringBuilder();
        for (int i = 0; i < steps.Count; i++)
        {
            var statements = steps[i].Statements.Where(s => !s.IsBoundary).ToList();
            if (statements.Count == 0)
            {
                continue;
            }

            sql.AppendLine($"-- step {i + 1}/{steps.Count} ({(steps[i].Transactional ? "one transaction" : "outside a transaction")})");
            foreach (var statement in statements)
            {
                sql.AppendLine(statement.Sql.TrimEnd());
            }
        }

        if (sql.Length == 0)
        {
            return;
        }

        string text = sql.ToString().TrimEnd();
        int lines = text.Split('\n').Length;
        string fence = Fence(text);
        md.AppendLine(lines > CollapseAfterLines ? "<details>" : "<details open>");
        md.AppendLine($"<summary>{phase.ToString().ToLowerInvariant()}: {lines} line(s) of SQL</summary>");
        md.AppendLine();
        md.AppendLine(fence + "sql");
        md.AppendLine(text);
        md.AppendLine(fence);
        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

    /// <summary>A code fence longer than any run of backticks in the text, so SQL holding backticks
    /// cannot end the block early.</summary>
    private static string Fence(string text)
    {
        int longest = 0, run = 0;
        foreach (char c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new string('`', Math.Max(3, longest + 1));
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
}
