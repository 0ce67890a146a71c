using System.Text.Json;
using Migrator.Analyzers;
using Migrator.Compatibility;

namespace Migrator.Reports;

/// <summary>The findings as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.</summary>
public static class SarifReport
{
    public static string Render(PlanReport report)
    {
        var used = report.Findings.Select(f => f.RuleId).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
        var sarif = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["tool"] = new
                    {
                        driver = new
                        {
                            name = "Migrator",
                            informationUri = "https://github.com/migrator/migrator",
                            version = typeof(SarifReport).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
                            rules = used.Select(id => RuleInfo.Get(id)).Select(r => new
                            {
                                id = r.Id,
                                name = r.Id,
                                shortDescription = new { text = r.Title },
                                fullDescription = new { text = r.Description },
                                helpUri = Analyzers.RuleInfo.DocsUrl(r.Id, report.RuleDocsUrl),
                                properties = new { squawk = r.Squawk, strongMigrations = r.StrongMigrations, atlas = r.Atlas },
                            }),
                        },
                    },
                    ["results"] = report.Findings.Select(Result).ToList(),

                    // The summary line, with what --verify verified, as the run's one notification.
                    ["invocations"] = new[]
                    {
                        new
                        {
                            executionSuccessful = true,
                            toolExecutionNotifications = new[] { new { level = "note", message = new { text = report.Summary } } },
                        },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(sarif, new JsonSerializerOptions { WriteIndented = true });
    }

    private static object Result(Finding finding)
    {
        var result = new Dictionary<string, object>
        {
            ["ruleId"] = finding.RuleId,
            ["level"] = finding.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" },
            ["message"] = new { text = finding.Message },
        };
        var properties = new Dictionary<string, object?> { ["changeId"] = finding.ChangeId, ["phase"] = finding.Phase, ["appVersion"] = finding.AppVersion };
        result["properties"] = properties;
        if (finding.Location is { } location && location.LastIndexOf(':') is > 0 and var colon && int.TryParse(location[(colon + 1)..], out int line))
        {
            result["locations"] = new[]
            {
                new { physicalLocation = new { artifactLocation = new { uri = location[..colon] }, region = new { startLine = line } } },
            };
        }
        else if (finding.ChangeId is { } id)
        {
            result["locations"] = new[]
            {
                new { logicalLocations = new[] { new { name = $"change {id} {finding.Phase}", kind = "module" } } },
            };
        }

        return result;
    }
}
