using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// A high-level operation: one intent ("rename this column") that knows its own expand, backfill,
/// contract and rollback, in the style of pgroll's operations. Every method receives the schema as it
/// is before the change.
/// </summary>
public interface IOperation
{
    /// <summary>One line for plans and history.</summary>
    string Describe();

    /// <summary>The tables and columns the operation changes: two changes in flight at once must not
    /// share one (see <see cref="SchemaTarget.Overlaps"/>).</summary>
    IReadOnlyList<SchemaTarget> Targets(OperationContext context);

    /// <summary>Statements of the expand phase.</summary>
    IReadOnlyList<PlannedStatement> Expand(OperationContext context);

    /// <summary>The backfill to run between expand and contract, or null.</summary>
    BackfillSpec? Backfill(OperationContext context);

    /// <summary>Statements of the contract phase.</summary>
    IReadOnlyList<PlannedStatement> Contract(OperationContext context);

    /// <summary>Statements that undo the expand (and a partial backfill) before contract starts; each
    /// must be safe on a partly applied expand (IF EXISTS).</summary>
    IReadOnlyList<PlannedStatement> Rollback(OperationContext context);

    /// <summary>Whether the operation can be written for <paramref name="dialect"/>. Migrator's own
    /// operations write through the dialect alone (SQL Server refuses only what it has no form for: an
    /// expression index); an operation written elsewhere is taken as PostgreSQL's unless it says
    /// otherwise, and the compiler refuses it on another engine (docs/sqlserver.md).</summary>
    bool Supports(ISqlDialect dialect) => dialect.Provider == "postgres";

    /// <summary>Applies the operation's final effect (after contract) to a schema model.</summary>
    void ApplyTo(SchemaModel model);
}
