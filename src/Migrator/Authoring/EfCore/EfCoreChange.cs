using FluentMigrator;
using FluentMigrator.Builders.Create.Table;
using FluentMigrator.Postgres;
using Migrator.Authoring.Operations;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Migrator.Authoring.EfCore;

/// <summary>
/// An EF Core migration run as a phased change: its existing-table operations become Migrator's
/// operations (<see cref="EfOperationTranslator"/>), and the tables it creates, with their keys,
/// indexes and constraints, are plain additive DDL in expand (no live version knows a new table).
/// </summary>
internal sealed class EfCoreChange : Change
{
    private readonly IReadOnlyList<CreateTableOperation> _tables;
    private readonly IReadOnlyList<MigrationOperation> _onNewTables;

    public EfCoreChange(Type migration, IReadOnlyList<IOperation> operations, IReadOnlyList<CreateTableOperation> tables, IReadOnlyList<MigrationOperation> onNewTables)
    {
        MigrationType = migration;
        _tables = tables;
        _onNewTables = onNewTables;
        foreach (var operation in operations)
        {
            Use(operation);
        }
    }

    /// <summary>The EF Core migration class this change was read from.</summary>
    public Type MigrationType { get; }

    protected override void Expand()
    {
        foreach (var table in _tables)
        {
            CreateTable(table);
        }

        foreach (var operation in _onNewTables)
        {
            switch (operation)
            {
                case CreateIndexOperation index:
                    CreateIndex(index);
                    break;
                case AddForeignKeyOperation key:
                    CreateForeignKey(key);
                    break;
                case AddUniqueConstraintOperation unique:
                    Create.UniqueConstraint(unique.Name).OnTable(unique.Table).WithSchema(EfOperationTranslator.SchemaOf(unique.Schema)).Columns(unique.Columns);
                    break;
                default:
                    throw new InvalidOperationException($"{operation.GetType().Name} is not translated on a new table");
            }
        }
    }

    private void CreateTable(CreateTableOperation table)
    {
        string schema = EfOperationTranslator.SchemaOf(table.Schema);
        ICreateTableWithColumnSyntax builder = Create.Table(table.Name).InSchema(schema);
        var key = table.PrimaryKey;
        foreach (var column in table.Columns)
        {
            var syntax = builder.WithColumn(column.Name).AsCustom(EfOperationTranslator.TypeOf(column));
            var options = column.IsNullable ? syntax.Nullable() : syntax.NotNullable();
            if (key is not null && key.Columns.Contains(column.Name))
            {
                options = options.PrimaryKey(key.Name);
            }

            if (EfOperationTranslator.Identity(column) is { } generation)
            {
                options = options.Identity(generation);
            }

            if (EfOperationTranslator.DefaultSql(column) is { } defaultSql)
            {
                options.WithDefaultValue(RawSql.Insert(defaultSql));
            }
        }

        foreach (var foreignKey in table.ForeignKeys)
        {
            CreateForeignKey(foreignKey);
        }

        foreach (var unique in table.UniqueConstraints)
        {
            Create.UniqueConstraint(unique.Name).OnTable(table.Name).WithSchema(schema).Columns(unique.Columns);
        }
    }

    private void CreateForeignKey(AddForeignKeyOperation key)
    {
        var principal = key.PrincipalColumns ?? throw new NotSupportedException($"foreign key {key.Name} names no principal columns");
        Create.ForeignKey(key.Name)
            .FromTable(key.Table).InSchema(EfOperationTranslator.SchemaOf(key.Schema)).ForeignColumns(key.Columns)
            .ToTable(key.PrincipalTable).InSchema(EfOperationTranslator.SchemaOf(key.PrincipalSchema)).PrimaryColumns(principal)
            .OnDelete(EfOperationTranslator.Rule(key.OnDelete));
    }

    private void CreateIndex(CreateIndexOperation index)
    {
        var builder = Create.Index(index.Name).OnTable(index.Table).InSchema(EfOperationTranslator.SchemaOf(index.Schema));
        foreach (string column in index.Columns)
        {
            builder.OnColumn(column).Ascending();
        }

        if (index.IsUnique)
        {
            builder.WithOptions().Unique();
        }
    }
}
