using System.Text.Json;
using System.Text.Json.Serialization;
using Migrator.Authoring;

namespace Migrator.Reports;

/// <summary>The report as JSON for pipelines; the schema is documented in docs/reports.md (formatVersion 2).</summary>
public static class JsonReport
{
    /// <summary>Indented, camelCase, and readable: quotes and &lt; &gt; &amp; in SQL stay as they are (no \u0022).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Render(PlanReport report) => JsonSerializer.Serialize(new
    {
        formatVersion = 2,
        report = report.Title,
        safe = report.Safe,
        exitCode = report.ExitCode,
        summary = new
        {
            errors = report.Errors,
            warnings = report.Warnings,
            notes = report.Findings.Count - report.Errors - report.Warnings,
            checksOk = report.Checks.Count(c => c.State == GateCheck.Ok),
            checksPending = report.Checks.Count(c => c.State == GateCheck.Pending),
            checksBlocked = report.Checks.Count(c => c.State == GateCheck.Blocked),
        },
        versions = report.Versions.Select(v => new { version = v.ToString(), manifest = v.Manifest is not null }),
        verified = report.Verification is not { } v ? null : new
        {
            phases = v.Phases,
            statements = v.DdlStatements,
            appStatementPlans = v.AppStatementPlans,
            versions = v.Versions,
            text = v.Summary,
        },
        checks = report.Checks.Select(c => new
        {
            id = c.Id,
            kind = c.Kind,
            state = c.State,
            ok = c.Passed,
            what = c.What,
            changeId = c.ChangeId,
            version = c.Version,
            rowsDone = c.RowsDone,
            rowsTotal = c.RowsTotal,
            etaSeconds = c.EtaSeconds,
            findings = c.Findings,
        }),
        changes = report.Plans.Select(p => new
        {
            id = p.Id,
            name = p.Change.Name,
            description = p.Change.Description,
            appVersion = p.Change.AppVersion.ToString(),
            contractAfter = p.Change.ContractAfter.ToString(),
            state = report.State is null ? null : report.StateOf(p),
            expand = Statements(p, Phase.Expand),
            backfill = p.Backfills.Select(b => new { schema = b.Schema, table = b.Table, set = b.Set, pending = b.Pending }),
            contract = Statements(p, Phase.Contract),
            rollback = p.RollbackUnavailable is null ? Statements(p, Phase.Rollback) : null,
            rollbackUnavailable = p.RollbackUnavailable,
        }),
        findings = report.Findings.Select(f => new
        {
            ruleId = f.RuleId,
            severity = f.Severity,
            message = f.Message,
            changeId = f.ChangeId,
            phase = f.Phase,
            appVersion = f.AppVersion,
            location = f.Location,
            sql = f.Sql,
        }),
    }, Options);

    private static IEnumerable<object> Statements(Planning.ChangePlan plan, Phase phase) =>
        plan.Steps(phase).Select(s => new { transactional = s.Transactional, sql = s.Statements.Where(x => !x.IsBoundary).Select(x => x.Sql) });
}
