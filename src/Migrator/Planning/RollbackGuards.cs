using FluentMigrator.Expressions;
using Migrator.Dialects;

namespace Migrator.Planning;

/// <summary>
/// The object a reversed FluentMigrator expression drops or renames back, so that a rollback of a
/// plain <c>Create.…</c> or <c>Rename.…</c> in Expand() touches only what the change itself made.
/// </summary>
internal static class RollbackGuards
{
    private const string DefaultSchema = "public";

    public static OwnedObject? Of(IMigrationExpression reversed) => reversed switch
    {
        DeleteTableExpression e => OwnedObject.Relation(e.SchemaName ?? DefaultSchema, e.TableName),
        DeleteColumnExpression { ColumnNames.Count: 1 } e => OwnedObject.Column(e.SchemaName ?? DefaultSchema, e.TableName, e.ColumnNames.First()),
        DeleteIndexExpression e => OwnedObject.Relation(e.Index.SchemaName ?? DefaultSchema, e.Index.Name),
        DeleteForeignKeyExpression e => OwnedObject.Constraint(e.ForeignKey.ForeignTableSchema ?? DefaultSchema, e.ForeignKey.ForeignTable, e.ForeignKey.Name),
        DeleteConstraintExpression e => OwnedObject.Constraint(e.Constraint.SchemaName ?? DefaultSchema, e.Constraint.TableName, e.Constraint.ConstraintName),
        DeleteSequenceExpression e => OwnedObject.Relation(e.SchemaName ?? DefaultSchema, e.SequenceName),
        DeleteSchemaExpression e => OwnedObject.SchemaNamed(e.SchemaName),
        RenameTableExpression e => OwnedObject.Relation(e.SchemaName ?? DefaultSchema, e.OldName),
        RenameColumnExpression e => OwnedObject.Column(e.SchemaName ?? DefaultSchema, e.TableName, e.OldName),
        _ => null,
    };
}
