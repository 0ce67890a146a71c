namespace Migrator.Authoring.Operations;

/// <summary>An operation that adds columns a later operation of the same change may use.</summary>
public interface IAddsColumns
{
    IEnumerable<(string Schema, string Table, string Column)> AddedColumns { get; }
}
