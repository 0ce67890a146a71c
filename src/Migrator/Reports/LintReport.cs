using System.Text;
using System.Text.Json;
using Migrator.Analyzers;
using Migrator.Compatibility;
using Migrator.Compatibility.Lint;

namespace Migrator.Reports;

/// <summary>`lint`'s findings as text (file:line:column: severity id: message), JSON, SARIF 2.1.0, or
/// GitHub workflow commands (::error file=…,line=…,col=…::), which annotate the pull request's diff.</summary>
public static class LintReport
{
    public static string Render(IReadOnlyList<LintFinding> findings, int files, string format, string ruleDocsUrl) => format switch
    {
        "json" => Json(findings, files, ruleDocsUrl),
        "sarif" => Sarif(findings, ruleDocsUrl),
        "github" => GitHub(findings, files),
        _ => Text(findings, files),
    };

    public static string Summary(IReadOnlyList<LintFinding> findings, int files) =>
        $"{files} file(s): {Count(findings, Severity.Error)} error(s), {Count(findings, Severity.Warning)} warning(s), {Count(findings, Severity.Info)} note(s)";

    private static int Count(IReadOnlyList<LintFinding> findings, Severity severity) => findings.Count(f => f.Severity == severity);

    private static string Level(Severity severity) => severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" };

    private static string Text(IReadOnlyList<LintFinding> findings, int files)
    {
        var text = new StringBuilder();
        foreach (var f in findings)
        {
            text.AppendLine($"{f.File}:{f.Line}:{f.Column}: {Level(f.Severity)} {f.RuleId}: {f.Finding.Message}");
        }

        text.Append(Summary(findings, files));
        return text.ToString();
    }

    private static string Json(IReadOnlyList<LintFinding> findings, int files, string ruleDocsUrl) =>
        JsonSerializer.Serialize(new
        {
            formatVersion = 1,
            files,
            errors = Count(findings, Severity.Error),
            warnings = Count(findings, Severity.Warning),
            notes = Count(findings, Severity.Info),
            findings = findings.Select(f => new
            {
                rule = f.RuleId,
                severity = Level(f.Severity),
                file = f.File,
                line = f.Line,
                column = f.Column,
                message = f.Finding.Message,
                sql = f.Finding.Sql,
                help = RuleInfo.DocsUrl(f.RuleId, ruleDocsUrl),
            }),
        }, JsonReport.Options);

    // GitHub's workflow commands: properties escape % \r \n : and ,; the message escapes % \r \n.
    private static string GitHub(IReadOnlyList<LintFinding> findings, int files)
    {
        var text = new StringBuilder();
        foreach (var f in findings)
        {
            string command = f.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "notice" };
            text.AppendLine($"::{command} file={Property(f.File)},line={f.Line},col={f.Column},title={Property(f.RuleId + " " + RuleInfo.Get(f.RuleId).Title)}::{Message(f.Finding.Message)}");
        }

        text.Append(Summary(findings, files));
        return text.ToString();
    }

    private static string Message(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string Property(string text) => Message(text).Replace(":", "%3A").Replace(",", "%2C");

    private static string Sarif(IReadOnlyList<LintFinding> findings, string ruleDocsUrl)
    {
        var used = findings.Select(f => f.RuleId).Distinct().OrderBy(id => id, StringComparer.Ordinal).Select(RuleInfo.Get);
        var sarif = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[]
            {
                new
                {
                    tool = new
                    {
                        driver = new
                        {
                            name = "Migrator",
                            informationUri = "https://github.com/migrator/migrator",
                            version = typeof(LintReport).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
                            rules = used.Select(r => new
                            {
                                id = r.Id,
                                name = r.Id,
                                shortDescription = new { text = r.Title },
                                fullDescription = new { text = r.Description },
                                helpUri = RuleInfo.DocsUrl(r.Id, ruleDocsUrl),
                                properties = new { squawk = r.Squawk, strongMigrations = r.StrongMigrations, atlas = r.Atlas },
                            }),
                        },
                    },
                    results = findings.Select(f => new
                    {
                        ruleId = f.RuleId,
                        level = Level(f.Severity),
                        message = new { text = f.Finding.Message },
                        locations = new[]
                        {
                            new
                            {
                                physicalLocation = new
                                {
                                    artifactLocation = new { uri = f.File.Replace('\\', '/') },
                                    region = new { startLine = f.Line, startColumn = f.Column },
                                },
                            },
                        },
                    }),
                },
            },
        };
        return JsonSerializer.Serialize(sarif, new JsonSerializerOptions { WriteIndented = true });
    }
}
