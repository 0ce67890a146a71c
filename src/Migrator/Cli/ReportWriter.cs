using Migrator.Cli;
using Migrator.Compatibility;
using Migrator.Reports;
using Spectre.Console;

namespace Migrator.Cli;

/// <summary>Writes a report in the format asked for, to standard output or the --output file.</summary>
public static class ReportWriter
{
    public static void Write(CliContext cli, PlanReport report, string format, string? output, Action writeText)
    {
        if (format == "text")
        {
            writeText();
            WriteFindings(cli, report);
            cli.Line(report.Summary);
            return;
        }

        string text = format switch
        {
            "markdown" => MarkdownReport.Render(report),
            "json" => JsonReport.Render(report),
            "sarif" => SarifReport.Render(report),
            _ => throw new MigratorException(ExitCodes.BadInput, $"unknown format {format}"),
        };
        if (output is null)
        {
            cli.Data(text);
        }
        else
        {
            File.WriteAllText(output, text);
            cli.Line($"{report.Summary}; report written to {output}");
        }
    }

    public static void WriteFindings(CliContext cli, PlanReport report)
    {
        if (report.Findings.Count == 0)
        {
            return;
        }

        var table = new CliTable("Findings", "Severity", "Rule", "Change", "Phase", "App version", "Where", "Finding");
        foreach (var f in report.Findings.OrderByDescending(f => f.Severity))
        {
            table.AddRow(
                f.Severity.ToString().ToLowerInvariant(),
                f.RuleId,
                f.ChangeId?.ToString() ?? "",
                f.Phase ?? "",
                f.AppVersion ?? "",
                f.Location ?? "",
                f.Message);
        }

        table.Write(cli);
    }
}
