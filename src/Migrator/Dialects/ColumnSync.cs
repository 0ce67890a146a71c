namespace Migrator.Dialects;

/// <summary>
/// What a column rewrite (rename, change type, split, merge) keeps in step while two app versions
/// write: the new columns from the old shape (<see cref="Up"/>) and the old columns from the new
/// shape (<see cref="Down"/>), by the version-agnostic rule of docs/operations.md. The dialect
/// renders it as a trigger (<see cref="ISqlDialect.ColumnSync"/>).
/// </summary>
/// <param name="Label">What names the trigger (the new column, or the column rewritten).</param>
/// <param name="Key">The table's primary key columns, in key order (SQL Server joins inserted and deleted on them).</param>
public sealed record ColumnSync(
    long ChangeId,
    string Schema,
    string Table,
    string Label,
    IReadOnlyList<string> Key,
    IReadOnlyList<SyncAssignment> Up,
    IReadOnlyList<SyncAssignment> Down)
{
    /// <summary>Columns of the table as the old version sees them (the names <see cref="Up"/> reads).</summary>
    public IReadOnlyList<string> OldShape { get; init; } = [];

    /// <summary>Columns as the new version sees them, each with the physical column that holds it now
    /// (the names <see cref="Down"/> reads).</summary>
    public IReadOnlyList<(string Seen, string Physical)> NewShape { get; init; } = [];

    /// <summary>New columns that become NOT NULL at contract: when a write gives only some new
    /// columns, each of these it left NULL is derived from the old shape.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];
}

/// <summary>A column filled from an expression over the row whenever a write leaves it NULL (the
/// version that does not know the column keeps writing). <see cref="Shape"/> is the row's columns,
/// the names <see cref="Expression"/> may read.</summary>
public sealed record ColumnFill(
    long ChangeId,
    string Schema,
    string Table,
    string Column,
    string Expression,
    IReadOnlyList<string> Shape,
    IReadOnlyList<string> Key);

/// <summary>A trigger's statements: <see cref="Create"/> in the expand, <see cref="Drop"/> in the
/// contract and the rollback (both safe to re-run).</summary>
public sealed record TriggerStatements(IReadOnlyList<PlannedStatement> Create, IReadOnlyList<PlannedStatement> Drop);

/// <summary>How the contract of a one-for-one rewrite puts the new column in the old one's place:
/// <see cref="First"/> opens the contract's last transaction (before anything locks the table),
/// <see cref="Steps"/> close it, and <see cref="Afterwards"/> run in a transaction of their own.</summary>
public sealed record ColumnReplacement(PlannedStatement? First, IReadOnlyList<PlannedStatement> Steps, IReadOnlyList<PlannedStatement> Afterwards);

/// <summary>A foreign key as an operation asks for it.</summary>
public sealed record ForeignKeySpec(
    string Name,
    IReadOnlyList<string> Columns,
    string ReferencedSchema,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns,
    string OnDelete);
