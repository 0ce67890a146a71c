namespace Migrator.Compatibility.Lint;

/// <summary>A finding in a .sql file, at the statement's first character (1-based line and column).</summary>
public sealed record LintFinding(Finding Finding, string File, int Line, int Column)
{
    public string RuleId => Finding.RuleId;

    public Severity Severity => Finding.Severity;

    public override string ToString() => $"{File}:{Line}:{Column}: {Finding.Severity.ToString().ToLowerInvariant()} {RuleId}: {Finding.Message}";
}
