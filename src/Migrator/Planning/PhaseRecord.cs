using Migrator.Authoring;

namespace Migrator.Planning;

/// <summary>One row of the ledger's phases table.</summary>
public sealed record PhaseRecord(
    long ChangeId,
    Phase Phase,
    string Status,
    string Checksum,
    string Steps,
    int StepsDone,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string? Error)
{
    public bool IsDone => Status == "done";
}
