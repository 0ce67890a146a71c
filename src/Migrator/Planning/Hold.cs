namespace Migrator.Planning;

/// <summary>
/// A reason, other than a live version, for a contract to wait: a feature flag not fully rolled out, a
/// report still reading the old column. It names one change, or every change when <see cref="ChangeId"/>
/// is null; while it is placed, `contract` refuses what it holds (unless --force, recorded).
/// </summary>
public sealed record Hold(string Name, long? ChangeId, string? Reason, DateTime PlacedAt, string PlacedBy)
{
    /// <summary>True when this hold keeps change <paramref name="changeId"/>'s contract waiting.</summary>
    public bool Holds(long changeId) => ChangeId is null || ChangeId == changeId;

    public override string ToString() =>
        $"hold {Name} ({(ChangeId is { } id ? $"change {id}" : "every contract")}{(Reason is null ? "" : ": " + Reason)}, placed {PlacedAt:yyyy-MM-dd HH:mm} by {PlacedBy})";
}
