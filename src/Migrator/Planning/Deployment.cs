namespace Migrator.Planning;

/// <summary>One app version registered in the ledger; live until retired.</summary>
public sealed record Deployment(long Id, string AppVersion, string? Slot, DateTime RegisteredAt, DateTime? RetiredAt)
{
    public bool IsLive => RetiredAt is null;
}
