using FluentMigrator;
using Migrator.Authoring.Operations;
using Migrator.Backfill;

namespace Migrator.Authoring;

/// <summary>
/// Base class of a schema change. Write the expand and contract phases with FluentMigrator's
/// fluent API (<c>Create</c>, <c>Alter</c>, <c>Delete</c>, <c>Execute</c> …), describe the backfill
/// declaratively with <see cref="Backfill"/>, or use a high-level operation such as
/// <see cref="RenameColumn"/> that produces all three phases itself.
/// Mark the class with <see cref="ChangeAttribute"/>.
/// </summary>
public abstract class Change : Migration
{
    private readonly List<IOperation> _operations = [];
    private Phase? _collecting;

    /// <summary>The additive, backward-compatible part. Runs before the new app version is deployed.</summary>
    protected virtual void Expand()
    {
    }

    /// <summary>The destructive part. Runs once no live app version needs the old shape.</summary>
    protected virtual void Contract()
    {
    }

    /// <summary>Rows to copy or transform between expand and contract, or null for none.</summary>
    public virtual BackfillSpec? Backfill => null;

    /// <summary>
    /// Declares a high-level operation. Call it from the constructor: the operation produces its own
    /// expand, backfill and contract.
    /// </summary>
    protected void Use(IOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _operations.Add(operation);
    }

    /// <summary>Renames a column safely: new column, sync trigger, backfill, then the old one dropped.</summary>
    protected void RenameColumn(string table, string from, string to, string schema = "public") =>
        Use(new RenameColumn(schema, table, from, to));

    internal IReadOnlyList<IOperation> Operations => _operations;

    internal void BeginCollecting(Phase phase) => _collecting = phase;

    internal void EndCollecting() => _collecting = null;

    /// <inheritdoc />
    public sealed override void Up()
    {
        switch (_collecting)
        {
            case Phase.Expand:
                Expand();
                break;
            case Phase.Contract:
                Contract();
                break;
            default:
                throw new InvalidOperationException(
                    "A Change is not a FluentMigrator migration: run it with `dotnet migrator`, not the FluentMigrator runner.");
        }
    }

    /// <inheritdoc />
    public sealed override void Down() =>
        throw new InvalidOperationException("A Change is rolled back with `dotnet migrator rollback`, not Down().");
}
