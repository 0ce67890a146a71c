namespace Migrator.Compatibility;

/// <summary>How bad a finding is: an error blocks (exit 1), a warning is reported, info explains.</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}
