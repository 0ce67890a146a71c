namespace Migrator.Backfill;

/// <summary>A backfill's position, stored in the ledger after every batch.</summary>
public sealed record Checkpoint(string? LastKey, long RowsDone, int Passes, bool Completed);
