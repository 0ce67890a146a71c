namespace Migrator.Ledger;

/// <summary>One row of the ledger's audit trail: who ran what, where, when, and how it ended.</summary>
public sealed record HistoryEntry(long Id, DateTime At, string Actor, string? Host, string Command, long? ChangeId, string Outcome, string? Detail);
