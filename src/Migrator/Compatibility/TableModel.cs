namespace Migrator.Compatibility;

/// <summary>One table of a <see cref="SchemaModel"/>.</summary>
public sealed class TableModel(string schema, string name)
{
    private readonly List<ColumnModel> _columns = [];

    public string Schema { get; } = schema;

    public string Name { get; internal set; } = name;

    public IReadOnlyList<ColumnModel> Columns => _columns;

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

    internal void RemoveColumn(string name) => _columns.RemoveAll(c => c.Name == name);
}
