namespace Migrator.Schema;

/// <summary>One table of a <see cref="SchemaModel"/>.</summary>
public sealed class TableModel(string schema, string name)
{
    private readonly List<ColumnModel> _columns = [];

    public string Schema { get; } = schema;

    public string Name { get; internal set; } = name;

    public IReadOnlyList<ColumnModel> Columns => _columns;

    /// <summary>For a partitioned table read from a baseline: its partitions (each with its own, for
    /// sub-partitions). Empty for a plain table.</summary>
    public IReadOnlyList<PartitionNode> Partitions { get; internal set; } = [];

    /// <summary>True for a partitioned parent (from a baseline).</summary>
    public bool IsPartitioned { get; internal set; }

    /// <summary>Primary key columns in the key's own order, when a baseline gave it; else the columns
    /// marked as key in declaration order.</summary>
    public IReadOnlyList<string> KeyColumns
    {
        get => _keyColumns ?? [.. _columns.Where(c => c.Definition.IsPrimaryKey).Select(c => c.Name)];
        internal set => _keyColumns = value;
    }

    private IReadOnlyList<string>? _keyColumns;

    public ColumnModel? FindColumn(string name) =>
        _columns.Find(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>The column, or a <see cref="MigratorException"/> naming what is missing.</summary>
    public ColumnModel GetColumn(string name) => FindColumn(name)
        ?? throw new MigratorException(ExitCodes.BadInput, $"column {Schema}.{Name}.{name} does not exist in the schema");

    internal void AddColumn(ColumnModel column)
    {
        _columns.RemoveAll(c => c.Name == column.Name);
        _columns.Add(column);
    }

    internal void RemoveColumn(string name)
    {
        _columns.RemoveAll(c => c.Name == name);
        if (_keyColumns is not null && _keyColumns.Contains(name))
        {
            _keyColumns = null;
        }
    }
}

/// <summary>A partition of a partitioned table; <see cref="Children"/> is non-empty for a sub-partitioned one.</summary>
public sealed record PartitionNode(string Schema, string Name, IReadOnlyList<PartitionNode> Children);
