namespace Migrator.Authoring;

/// <summary>The three phases of a change, in the order they run.</summary>
public enum Phase
{
    Expand,
    Backfill,
    Contract,
}
