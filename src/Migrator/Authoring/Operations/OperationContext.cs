using Migrator.Compatibility;
using Migrator.Dialects.Postgres;

namespace Migrator.Authoring.Operations;

/// <summary>What an operation needs to generate its SQL.</summary>
/// <param name="ChangeId">Id of the change the operation belongs to.</param>
/// <param name="Schema">The schema before the change (replayed model, or the live schema).</param>
/// <param name="Dialect">SQL generation for the target database.</param>
public sealed record OperationContext(long ChangeId, SchemaModel Schema, PostgresDialect Dialect);
