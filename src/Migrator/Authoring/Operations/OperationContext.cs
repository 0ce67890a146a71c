using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>What an operation needs to generate its SQL.</summary>
/// <param name="ChangeId">Id of the change the operation belongs to.</param>
/// <param name="Schema">The schema before the change (replayed model, or the live schema).</param>
/// <param name="Dialect">SQL generation for the target database.</param>
public sealed record OperationContext(long ChangeId, SchemaModel Schema, ISqlDialect Dialect)
{
    /// <summary>Columns that earlier operations of the same change add (schema, table, column): they are
    /// not in <see cref="Schema"/> yet, but a later operation of the change may use them (an index on
    /// a column the change adds).</summary>
    public ISet<(string Schema, string Table, string Column)> AddedColumns { get; } = new HashSet<(string, string, string)>();
}
