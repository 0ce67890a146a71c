namespace Migrator.Backfill;

/// <summary>A backfill that cannot run or cannot go on. <see cref="IsBadInput"/> separates a spec that
/// is wrong (unknown table or key) from a failure of the database or of the SET expression.</summary>
public sealed class BackfillException(string message, bool isBadInput, Exception? inner = null) : Exception(message, inner)
{
    public bool IsBadInput { get; } = isBadInput;
}
