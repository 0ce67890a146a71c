namespace Migrator.Backfill;

/// <summary>
/// A declarative backfill: <c>UPDATE {Schema}.{Table} SET {Set} WHERE {Pending}</c>, run in keyset
/// batches on <see cref="Key"/> (by default the primary key, composite or not). <see cref="Pending"/> must select exactly the rows still to do, so a
/// finished backfill is proved by "no row matches it".
/// </summary>
/// <param name="Table">Table to update.</param>
/// <param name="Key">Columns of a unique index on NOT NULL columns to batch on, comma-separated in the
/// index's order; null for the primary key (or, without one, the narrowest unique index on NOT NULL columns).</param>
/// <param name="Set">SET list, e.g. <c>"email_address" = "email"</c>.</param>
/// <param name="Pending">Predicate of rows still to do, e.g. <c>"email_address" IS NULL AND "email" IS NOT NULL</c>.</param>
/// <param name="Schema">Schema of the table.</param>
public sealed record BackfillSpec(string Table, string? Key, string Set, string Pending, string Schema = "public")
{
    /// <summary>Update this table's own rows only (<c>UPDATE ONLY</c>), not those of its inheritance
    /// children: set for each segment of a table that has partitions or children.</summary>
    public bool Only { get; init; }
}
