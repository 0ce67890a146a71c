namespace Migrator.Schema;

/// <summary>
/// An existing database's schema, as read from its catalog: what <c>baseline</c> writes into the
/// migrations project (a reviewable JSON file) and records in the ledger, and what drift is measured
/// against. Names are unquoted; types and definitions are the server's own text (format_type,
/// pg_get_*def), so they can be handed back to it.
/// </summary>
public sealed record DatabaseSchema
{
    /// <summary>The file format; a later release that changes the shape writes a new one.</summary>
    public const string CurrentFormat = "migrator-baseline/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>Changes up to this id had already run when the baseline was taken (adopted again with
    /// <c>--replace</c>): the baseline includes what they did, so they are not replayed on it.</summary>
    public long? IncludesChangesThrough { get; init; }

    /// <summary>The newest EF Core migration the database's <c>__EFMigrationsHistory</c> listed when the
    /// baseline was taken: EF Core applied it and every earlier one (ids in ordinal order, as EF orders
    /// them), so they are part of this schema and are not run again (docs/efcore.md).</summary>
    public string? EfCoreMigrationsThrough { get; init; }

    public IReadOnlyList<string> Schemas { get; init; } = [];

    public IReadOnlyList<ExtensionInfo> Extensions { get; init; } = [];

    public IReadOnlyList<TypeInfo> Types { get; init; } = [];

    public IReadOnlyList<SequenceInfo> Sequences { get; init; } = [];

    /// <summary>Tables, partitioned parents and their partitions (each partition is a table with a <see cref="TableInfo.PartitionOf"/>).</summary>
    public IReadOnlyList<TableInfo> Tables { get; init; } = [];

    public IReadOnlyList<ViewInfo> Views { get; init; } = [];

    public IReadOnlyList<FunctionInfo> Functions { get; init; } = [];
}

public sealed record ExtensionInfo(string Name, string Schema, string Version);

/// <summary>An enum (<see cref="Labels"/> in sort order), a domain or a composite type (<see cref="Definition"/>).</summary>
public sealed record TypeInfo(string Schema, string Name, string Kind, IReadOnlyList<string>? Labels, string? Definition);

public sealed record SequenceInfo(string Schema, string Name, string Type, long Start, long Increment, long Min, long Max, bool Cycle, string? OwnedBy);

public sealed record TableInfo
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    /// <summary>"table", or "partitioned" for a partitioned parent.</summary>
    public required string Kind { get; init; }

    /// <summary>For a partition: its parent ("schema.name").</summary>
    public string? PartitionOf { get; init; }

    /// <summary>For a partition: its bound (FOR VALUES …).</summary>
    public string? PartitionBound { get; init; }

    /// <summary>For a partitioned table: its key (RANGE (…), LIST (…), HASH (…)).</summary>
    public string? PartitionKey { get; init; }

    /// <summary>Parents of a table that uses plain inheritance ("schema.name").</summary>
    public IReadOnlyList<string> Inherits { get; init; } = [];

    public IReadOnlyList<ColumnInfo> Columns { get; init; } = [];

    /// <summary>The primary key's columns in the key's own order (which may differ from the table's).</summary>
    public KeyInfo? PrimaryKey { get; init; }

    public IReadOnlyList<ConstraintInfo> Constraints { get; init; } = [];

    public IReadOnlyList<IndexInfo> Indexes { get; init; } = [];

    public IReadOnlyList<TriggerInfo> Triggers { get; init; } = [];

    public string? Comment { get; init; }

    public string Qualified => $"{Schema}.{Name}";
}

/// <param name="Type">format_type: domains, arrays and enums by name, with typmods.</param>
/// <param name="Identity">"always" or "by default" for an identity column.</param>
/// <param name="Generated">The expression of a stored generated column.</param>
/// <param name="Collation">A collation other than the type's default.</param>
public sealed record ColumnInfo(
    string Name,
    string Type,
    bool NotNull,
    string? Default = null,
    string? Identity = null,
    string? Generated = null,
    string? Collation = null,
    string? Comment = null);

public sealed record KeyInfo(string Name, IReadOnlyList<string> Columns);

/// <param name="Type">"check", "foreign key", "unique", "exclusion" or "primary key".</param>
public sealed record ConstraintInfo(string Name, string Type, string Definition, bool Validated);

public sealed record IndexInfo(string Name, string Definition, bool Valid, bool Unique);

/// <param name="Enabled">O (origin), D (disabled), R (replica), A (always): pg_trigger.tgenabled.</param>
public sealed record TriggerInfo(string Name, string Definition, string Enabled, string Function);

/// <param name="DependsOn">The relations its query reads ("schema.name").</param>
public sealed record ViewInfo(string Schema, string Name, bool Materialized, string Definition, IReadOnlyList<string> DependsOn, string? Comment = null)
{
    public string Qualified => $"{Schema}.{Name}";

    /// <summary>A materialized view's indexes.</summary>
    public IReadOnlyList<IndexInfo> Indexes { get; init; } = [];
}

/// <param name="Arguments">pg_get_function_identity_arguments.</param>
public sealed record FunctionInfo(string Schema, string Name, string Arguments, string Kind, string? Definition);
