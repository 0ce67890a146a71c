namespace Migrator;

/// <summary>An expected failure: printed as one line, mapped to an exit code, never a stack trace.</summary>
public sealed class MigratorException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
