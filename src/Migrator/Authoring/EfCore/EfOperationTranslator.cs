using FluentMigrator;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Migrator.Authoring.Operations;

namespace Migrator.Authoring.EfCore;

/// <summary>
/// Reads an EF Core migration's operations (what its <c>Up(MigrationBuilder)</c> records) into a
/// phased change. Each operation on an existing table becomes the catalog operation that does it
/// without breaking the live version: RenameColumn, AddColumn, DropColumn, AlterColumn (type,
/// nullability, default), CreateIndex (concurrently), DropIndex, AddForeignKey, AddUniqueConstraint,
/// AddCheckConstraint, RenameTable, DropTable and Sql (expand). Tables the migration creates, and
/// their indexes and keys, are plain DDL in expand. Anything else has no safe phased form and is
/// refused with the operation named (docs/efcore.md).
/// </summary>
public static class EfOperationTranslator
{
    /// <summary>The change an EF Core migration's Up operations make. Its Down operations give what a
    /// dropped column holds for the old version meanwhile: the default EF puts on the column when it
    /// adds it back.</summary>
    public static Change Translate(Type migration, IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation>? down = null)
    {
        var onNewTables = new List<MigrationOperation>();
        var operations = new List<IOperation>();
        var created = new HashSet<(string, string)>();
        foreach (var operation in up)
        {
            try
            {
                if (operation is CreateTableOperation table)
                {
                    CheckNewTable(table);
                    operations.Add(EfCoreChange.NewTable(table));
                    created.Add((SchemaOf(table.Schema), table.Name));
                    onNewTables.AddRange(table.ForeignKeys.Select(k => { k.Schema ??= table.Schema; k.Table ??= table.Name; return k; }));
                    onNewTables.AddRange(table.UniqueConstraints.Select(u => new AddUniqueConstraintOperation { Name = u.Name, Schema = table.Schema, Table = table.Name, Columns = u.Columns }));
                }
                else if (OnNewTable(operation, created))
                {
                    CheckOnNewTable(operation);
                    onNewTables.Add(operation);
                }
                else
                {
                    operations.AddRange(Phased(operation, down ?? []));
                }
            }
            catch (NotSupportedException e)
            {
                throw new MigratorException(ExitCodes.BadInput,
                    $"EF Core migration {migration.Name}: {Describe(operation)} has no safe phased form: {e.Message}");
            }
        }

        return new EfCoreChange(migration, operations, onNewTables);
    }

    internal static string SchemaOf(string? schema) => string.IsNullOrEmpty(schema) ? "public" : schema;

    internal static string TypeOf(ColumnOperation column) =>
        string.IsNullOrWhiteSpace(column.ColumnType)
            ? throw new NotSupportedException($"column {column.Name} has no column type (generate the migration with the Npgsql provider)")
            : column.ColumnType;

    /// <summary>Whether EF asks PostgreSQL to generate the column's values (identity or serial).</summary>
    internal static bool IsIdentity(ColumnOperation column) => Identity(column) is not null;

    /// <summary>How PostgreSQL generates the column's values, as EF's Npgsql provider asks: GENERATED
    /// ALWAYS for IdentityAlwaysColumn, BY DEFAULT for IdentityByDefaultColumn (EF's default) and for
    /// SerialColumn (a serial takes explicit values too); null when it does not.</summary>
    internal static PostgresGenerationType? Identity(ColumnOperation column) => column["Npgsql:ValueGenerationStrategy"]?.ToString() switch
    {
        "IdentityAlwaysColumn" => PostgresGenerationType.Always,
        "IdentityByDefaultColumn" or "SerialColumn" => PostgresGenerationType.ByDefault,
        _ => null,
    };

    internal static string? DefaultSql(ColumnOperation column) =>
        column.DefaultValueSql ?? (column.DefaultValue is { } value ? EfLiteral.Of(value) : null);

    internal static System.Data.Rule Rule(ReferentialAction action) => action switch
    {
        ReferentialAction.Cascade => System.Data.Rule.Cascade,
        ReferentialAction.SetNull => System.Data.Rule.SetNull,
        ReferentialAction.SetDefault => System.Data.Rule.SetDefault,
        _ => System.Data.Rule.None,
    };

    private static string OnDelete(ReferentialAction action) => action switch
    {
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        ReferentialAction.Restrict => "RESTRICT",
        _ => "NO ACTION",
    };

    private static bool OnNewTable(MigrationOperation operation, HashSet<(string, string)> created) => operation switch
    {
        CreateIndexOperation index => created.Contains((SchemaOf(index.Schema), index.Table)),
        AddUniqueConstraintOperation unique => created.Contains((SchemaOf(unique.Schema), unique.Table)),
        AddForeignKeyOperation key when !created.Contains((SchemaOf(key.Schema), key.Table)) && created.Contains((SchemaOf(key.PrincipalSchema), key.PrincipalTable)) =>
            throw new NotSupportedException($"foreign key {key.Name} from an existing table to one this migration creates: add it in a later migration, where it is added NOT VALID and validated at contract"),
        AddForeignKeyOperation key => created.Contains((SchemaOf(key.Schema), key.Table)),
        _ => false,
    };

    private static void CheckNewTable(CreateTableOperation table)
    {
        foreach (var column in table.Columns)
        {
            TypeOf(column);
            NoComputed(column);
            DefaultSql(column);
        }

        if (table.CheckConstraints.Count > 0)
        {
            throw new NotSupportedException($"check constraints in CreateTable ({table.CheckConstraints[0].Name}): add them with AddCheckConstraint in a later migration");
        }

        foreach (var key in table.ForeignKeys)
        {
            CheckOnNewTable(key);
        }
    }

    private static void CheckOnNewTable(MigrationOperation operation)
    {
        switch (operation)
        {
            case CreateIndexOperation index:
                PlainIndex(index);
                if (index.Filter is not null)
                {
                    throw new NotSupportedException($"a filtered index on a new table ({index.Name}): create it in a later migration");
                }

                break;
            case AddForeignKeyOperation { PrincipalColumns: null } key:
                throw new NotSupportedException($"foreign key {key.Name} names no principal columns");
        }
    }

    private static void NoComputed(ColumnOperation column)
    {
        if (column.ComputedColumnSql is not null)
        {
            throw new NotSupportedException($"computed column {column.Name} (a generated column rewrites the table): write it as a Change");
        }
    }

    /// <summary>An index whose shape Migrator writes as EF asked: columns, unique, filter; not
    /// descending columns or provider options (method, INCLUDE, operators), which it would drop.</summary>
    private static void PlainIndex(CreateIndexOperation index)
    {
        if (index.IsDescending?.Any(d => d) == true)
        {
            throw new NotSupportedException($"index {index.Name} has descending columns: write it as a Change with Sql");
        }

        if (index.GetAnnotations().Select(a => a.Name).FirstOrDefault(n => n != "Npgsql:CreatedConcurrently") is { } option)
        {
            throw new NotSupportedException($"index {index.Name} has the provider option {option}: write it as a Change with Sql");
        }
    }

    private static IEnumerable<IOperation> Phased(MigrationOperation operation, IReadOnlyList<MigrationOperation> down)
    {
        switch (operation)
        {
            case RenameColumnOperation rename:
                return [new RenameColumn(SchemaOf(rename.Schema), rename.Table, rename.Name, rename.NewName)];
            case AddColumnOperation add:
                NoComputed(add);
                if (IsIdentity(add))
                {
                    throw new NotSupportedException($"identity column {add.Name} on an existing table (filling it rewrites the table): write it as a Change");
                }

                return [new AddColumn(SchemaOf(add.Schema), add.Table, add.Name, TypeOf(add), add.IsNullable, DefaultSql(add))];
            case DropColumnOperation drop:
                var readded = down.OfType<AddColumnOperation>().FirstOrDefault(a => a.Table == drop.Table && a.Name == drop.Name && SchemaOf(a.Schema) == SchemaOf(drop.Schema));
                return [new DropColumn(SchemaOf(drop.Schema), drop.Table, drop.Name, readded is null ? null : DefaultSql(readded))];
            case AlterColumnOperation alter:
                return Altered(alter);
            case CreateIndexOperation index:
                PlainIndex(index);
                return [new Operations.CreateIndex(SchemaOf(index.Schema), index.Table, index.Name, index.Columns, index.IsUnique, index.Filter)];
            case DropIndexOperation drop:
                return [new DropIndex(SchemaOf(drop.Schema), drop.Table ?? throw new NotSupportedException($"DropIndex {drop.Name} names no table"), drop.Name)];
            case AddForeignKeyOperation key:
                return [new AddForeignKey(SchemaOf(key.Schema), key.Table, key.Name, key.Columns,
                    SchemaOf(key.PrincipalSchema) + "." + key.PrincipalTable,
                    key.PrincipalColumns ?? throw new NotSupportedException($"foreign key {key.Name} names no principal columns"),
                    OnDelete(key.OnDelete))];
            case AddUniqueConstraintOperation unique:
                return [new AddUniqueConstraint(SchemaOf(unique.Schema), unique.Table, unique.Name, unique.Columns)];
            case AddCheckConstraintOperation check:
                return [new AddCheckConstraint(SchemaOf(check.Schema), check.Table, check.Name, check.Sql)];
            case RenameTableOperation rename when rename.NewName is not null && SchemaOf(rename.NewSchema ?? rename.Schema) == SchemaOf(rename.Schema):
                return [new RenameTable(SchemaOf(rename.Schema), rename.Name, rename.NewName)];
            case DropTableOperation drop:
                return [new DropTable(SchemaOf(drop.Schema), drop.Name)];
            case SqlOperation sql:
                return [new SqlScript(Phase.Expand, sql.Sql)];
            case AlterDatabaseOperation database when !database.GetAnnotations().Any() && !database.OldDatabase.GetAnnotations().Any():
                return [];
            case AlterDatabaseOperation:
                throw new NotSupportedException("the extensions and enums the model declares (HasPostgresExtension, HasPostgresEnum) are not read: create them with migrationBuilder.Sql(\"CREATE EXTENSION IF NOT EXISTS …\") in place of AlterDatabase");
            default:
                throw new NotSupportedException("write this step as a Migrator Change (docs/efcore.md lists what is translated)");
        }
    }

    /// <summary>AlterColumn: EF gives the column before and after. One kind of change per
    /// migration: the type (through a shadow column), or nullability and default.</summary>
    private static IEnumerable<IOperation> Altered(AlterColumnOperation alter)
    {
        var old = alter.OldColumn;
        string schema = SchemaOf(alter.Schema);
        NoComputed(alter);
        if (old.ComputedColumnSql is not null || IsIdentity(alter) != IsIdentity(old) || alter.Collation != old.Collation)
        {
            throw new NotSupportedException($"column {alter.Name}: computed, identity or collation changes are not phased");
        }

        string? defaultSql = DefaultSql(alter), oldDefault = DefaultSql(old);
        bool typeChanged = old.ColumnType is not null && !string.Equals(TypeOf(alter), old.ColumnType, StringComparison.OrdinalIgnoreCase);
        bool nullChanged = alter.IsNullable != old.IsNullable;
        bool defaultChanged = defaultSql != oldDefault;
        if (typeChanged)
        {
            if (nullChanged || defaultChanged)
            {
                throw new NotSupportedException($"column {alter.Name} changes its type and its nullability or default at once: change the type in one migration and the rest in the next");
            }

            return [new ChangeColumnType(schema, alter.Table, alter.Name, TypeOf(alter))];
        }

        var operations = new List<IOperation>();
        if (defaultChanged)
        {
            operations.Add(defaultSql is null ? new DropDefault(schema, alter.Table, alter.Name) : new SetDefault(schema, alter.Table, alter.Name, defaultSql));
        }

        if (nullChanged)
        {
            operations.Add(alter.IsNullable ? new DropNotNull(schema, alter.Table, alter.Name) : new SetNotNull(schema, alter.Table, alter.Name, defaultSql));
        }

        return operations;
    }

    private static string Describe(MigrationOperation operation) => operation switch
    {
        ColumnOperation column => $"{Name(operation)} of {SchemaOf(column.Schema)}.{column.Table}.{column.Name}",
        ITableMigrationOperation table => $"{Name(operation)} on {SchemaOf(table.Schema)}.{table.Table}",
        _ => Name(operation),
    };

    private static string Name(MigrationOperation operation) => operation.GetType().Name.Replace("Operation", "", StringComparison.Ordinal);
}
