using FluentMigrator.Model;

namespace Migrator.Schema;

/// <summary>One column of a <see cref="TableModel"/>, described as a FluentMigrator column definition
/// so that operations can hand it straight back to FluentMigrator's generators.</summary>
public sealed class ColumnModel(ColumnDefinition definition)
{
    public ColumnDefinition Definition { get; } = definition;

    public string Name => Definition.Name;

    public bool IsNullable => Definition.IsNullable != false && !Definition.IsPrimaryKey;

    public bool HasDefault => Definition.DefaultValue is not null and not ColumnDefinition.UndefinedDefaultValue;

    /// <summary>A copy under another name, nullable, with no default, key, identity or constraint:
    /// the shape a shadow or renamed column takes during the window.</summary>
    public ColumnDefinition CopyAsPlainNullable(string newName, string table) => PlainNullable(Definition, newName, table);

    /// <summary>A copy of <paramref name="definition"/> under another name, nullable, with no default,
    /// key, identity or constraint.</summary>
    public static ColumnDefinition PlainNullable(ColumnDefinition definition, string newName, string table)
    {
        var copy = (ColumnDefinition)definition.Clone();
        copy.Name = newName;
        copy.TableName = table;
        copy.IsNullable = true;
        copy.DefaultValue = new ColumnDefinition.UndefinedDefaultValue();
        copy.IsPrimaryKey = false;
        copy.PrimaryKeyName = null;
        copy.IsIdentity = false;
        copy.IsUnique = false;
        copy.IsIndexed = false;
        copy.IsForeignKey = false;
        copy.ForeignKey = null;
        copy.Expression = null;
        copy.ModificationType = ColumnModificationType.Create;
        return copy;
    }
}
