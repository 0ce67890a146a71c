using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Planning;

namespace Migrator.Authoring.Operations;

/// <summary>
/// A high-level operation: one intent ("rename this column") that knows its own expand, backfill and
/// contract, in the style of pgroll's operations.
/// </summary>
public interface IOperation
{
    /// <summary>One line for plans and history.</summary>
    string Describe();

    /// <summary>Statements of the expand phase, given the schema as it is before the change.</summary>
    IReadOnlyList<PlannedStatement> Expand(OperationContext context);

    /// <summary>The backfill to run between expand and contract, or null.</summary>
    BackfillSpec? Backfill(OperationContext context);

    /// <summary>Statements of the contract phase, given the schema as it is before the change.</summary>
    IReadOnlyList<PlannedStatement> Contract(OperationContext context);

    /// <summary>Applies the operation's final effect (after contract) to a schema model.</summary>
    void ApplyTo(SchemaModel model);
}
