namespace Migrator.Authoring.Operations;

/// <summary>A table, or one column of it, that an operation changes.</summary>
/// <param name="Schema">Schema of the table.</param>
/// <param name="Table">The table.</param>
/// <param name="Column">The column, or null when the operation changes the table as a whole.</param>
public sealed record SchemaTarget(string Schema, string Table, string? Column = null)
{
    /// <summary>Two targets overlap when they name the same table and either is the whole table or
    /// both are the same column.</summary>
    public bool Overlaps(SchemaTarget other) =>
        Schema == other.Schema && Table == other.Table
        && (Column is null || other.Column is null || Column == other.Column);

    public override string ToString() => Column is null ? $"{Schema}.{Table}" : $"{Schema}.{Table}.{Column}";
}
