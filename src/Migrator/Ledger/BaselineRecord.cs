namespace Migrator.Ledger;

/// <summary>The baseline recorded in the ledger: the file's checksum and name, who took it and when, and the schema itself.</summary>
public sealed record BaselineRecord(string Checksum, string File, DateTime TakenAt, string TakenBy, string Snapshot);
