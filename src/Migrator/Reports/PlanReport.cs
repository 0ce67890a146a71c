using Migrator.Compatibility;
using Migrator.Planning;

namespace Migrator.Reports;

/// <summary>What `plan` and `gate` report, whatever the format: the changes, their states when known,
/// the app versions checked, the checker's findings, and (for gate) the checklist.</summary>
public sealed record PlanReport(
    string Title,
    IReadOnlyList<ChangePlan> Plans,
    Func<ChangePlan, ChangeState>? State,
    IReadOnlyList<AppVersionUsage> Versions,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>Gate checks: each ok, pending or blocked.</summary>
    public IReadOnlyList<GateCheck> Checks { get; init; } = [];

    /// <summary>Base URL of the rule pages the markdown and SARIF reports link to.</summary>
    public string RuleDocsUrl { get; init; } = Analyzers.RuleInfo.DefaultDocsBaseUrl;

    /// <summary>What `plan --verify` ran, when it ran.</summary>
    public VerifyResult? Verification { get; init; }

    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);

    public bool Safe => Errors == 0 && Checks.All(c => c.Passed);

    public int ExitCode => Safe ? Migrator.ExitCodes.Ok : Migrator.ExitCodes.Unsafe;

    public string StateOf(ChangePlan plan) => State is null ? "not known (no database)" : State(plan).Label();

    public string Summary =>
        $"{(Safe ? "safe" : "UNSAFE")}: {Errors} error(s), {Warnings} warning(s), {Findings.Count - Errors - Warnings} note(s)"
        + (Checks.Count == 0 ? "" : $", {Checks.Count(c => c.State == GateCheck.Pending)} check(s) pending, {Checks.Count(c => c.State == GateCheck.Blocked)} blocked")
        + $" · {Plans.Count} change(s) · "
        + (Versions.Count == 0 ? "no app version checked" : "app versions checked: " + string.Join(", ", Versions.Select(v => v.Manifest is null ? $"{v} (no manifest)" : v.ToString())))
        + (Verification is null ? "" : " · " + Verification.Summary);
}
