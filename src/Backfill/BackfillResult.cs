namespace Migrator.Backfill;

/// <summary>The outcome of a backfill run.</summary>
/// <param name="RowsUpdated">Rows this run updated.</param>
/// <param name="Batches">Batches this run committed.</param>
/// <param name="AlreadyComplete">True when the checkpoint said done and the completion check agreed.</param>
public sealed record BackfillResult(long RowsUpdated, long Batches, bool AlreadyComplete);
