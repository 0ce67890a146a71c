namespace Migrator.Authoring;

/// <summary>The three phases of a change, in the order they run, and the rollback that undoes an
/// expand (and a partial backfill) before contract starts.</summary>
public enum Phase
{
    Expand,
    Backfill,
    Contract,
    Rollback,
}
