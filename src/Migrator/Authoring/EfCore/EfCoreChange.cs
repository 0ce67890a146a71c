using FluentMigrator;
using FluentMigrator.Builders.Create.Table;
using FluentMigrator.Postgres;
using Migrator.Authoring.Operations;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Migrator.Authoring.EfCore;

/// <summary>
/// An EF Core migration run as a phased change: its operations become Migrator's operations, in the
/// migration's order (<see cref="EfOperationTranslator"/>); a table it creates is a CreateTable, and that
/// table's indexes, keys and unique constraints are plain additive DDL at the end of expand (no live
/// version knows a new table).
/// </summary>
internal sealed class EfCoreChange : Change
{
    private readonly IReadOnlyList<MigrationOperation> _onNewTables;

    /// <param name="operations">In the migration's order; a new table is a <see cref="Operations.CreateTable"/>.</param>
    /// <param name="onNewTables">Indexes, foreign keys and unique constraints of the tables the migration
    /// creates: plain expressions after every operation's expand, so every table they name exists.</param>
    public EfCoreChange(Type migration, IReadOnlyList<IOperation> operations, IReadOnlyList<MigrationOperation> onNewTables)
    {
        MigrationType = migration;
        _onNewTables = onNewTables;
        foreach (var operation in operations)
        {
            Use(operation);
        }
    }

    /// <summary>The EF Core migration class this change was read from.</summary>
    public Type MigrationType { get; }

    /// <summary>A table the migration creates, with its columns and primary key, as EF describes them.</summary>
    public static IOperation NewTable(CreateTableOperation table) =>
        new Operations.CreateTable(EfOperationTranslator.SchemaOf(table.Schema), table.Name, builder => Columns(builder, table));

    private static void Columns(ICreateTableWithColumnSyntax builder, CreateTableOperation table)
    {
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
    }

    protected override void Expand()
    {
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
