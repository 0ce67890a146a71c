using FluentMigrator.Expressions;
using Migrator.Authoring.Operations;

namespace Migrator.Planning;

/// <summary>The tables and columns a plain FluentMigrator expression alters (for conflict detection).</summary>
public static class ExpressionTargets
{
    public static IEnumerable<SchemaTarget> Of(IMigrationExpression expression) => expression switch
    {
        CreateTableExpression e => [new(SchemaOf(e.SchemaName), e.TableName)],
        DeleteTableExpression e => [new(SchemaOf(e.SchemaName), e.TableName)],
        RenameTableExpression e => [new(SchemaOf(e.SchemaName), e.OldName), new(SchemaOf(e.SchemaName), e.NewName)],
        CreateColumnExpression e => [new(SchemaOf(e.SchemaName), e.TableName, e.Column.Name)],
        AlterColumnExpression e => [new(SchemaOf(e.SchemaName), e.TableName, e.Column.Name)],
        DeleteColumnExpression e => e.ColumnNames.Select(c => new SchemaTarget(SchemaOf(e.SchemaName), e.TableName, c)),
        RenameColumnExpression e => [new(SchemaOf(e.SchemaName), e.TableName, e.OldName), new(SchemaOf(e.SchemaName), e.TableName, e.NewName)],
        AlterDefaultConstraintExpression e => [new(SchemaOf(e.SchemaName), e.TableName, e.ColumnName)],
        DeleteDefaultConstraintExpression e => [new(SchemaOf(e.SchemaName), e.TableName, e.ColumnName)],
        _ => [],
    };

    private static string SchemaOf(string? schema) => string.IsNullOrEmpty(schema) ? "public" : schema;
}
