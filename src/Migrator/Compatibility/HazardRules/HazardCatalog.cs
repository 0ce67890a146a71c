namespace Migrator.Compatibility.HazardRules;

/// <summary>Every hazard rule the checker applies to phase SQL.</summary>
public static class HazardCatalog
{
    public static IReadOnlyList<HazardRule> Rules { get; } =
    [
        new DropColumnRule(), new DropTableRule(), new DropSchemaRule(), new RenameColumnRule(), new RenameTableRule(),
        new ChangeColumnTypeRule(), new AddRequiredColumnRule(), new VolatileDefaultRule(), new SetNotNullRule(),
        new ForeignKeyWithoutNotValidRule(), new CheckWithoutNotValidRule(), new ValidateInSameTransactionRule(),
        new AddUniqueRule(), new AddPrimaryKeyRule(), new BlockingIndexBuildRule(), new ConcurrentlyInTransactionRule(),
        new BlockingIndexDropRule(), new RewritingMaintenanceRule(), new BlockingDetachPartitionRule(), new BackfillWithDdlRule(),
        new EnumChangeRule(), new TruncateRule(), new RenameSchemaRule(), new DefaultBeforePg11Rule(), new DropNotNullRule(),
        new ExclusionConstraintRule(), new NoLockTimeoutRule(), new WorkAfterExclusiveLockRule(), new SeveralAltersRule(),
        new IntKeyRule(), new JsonColumnRule(), new ChangeDefaultRule(), new DropForeignKeyRule(), new ForeignKeyWithoutIndexRule(),
        new NotRerunnableRule(),
    ];

    /// <summary>The rules for SQL Server's T-SQL: those whose meaning does not depend on the engine (what a
    /// running version loses, a NOT NULL column without a default, a blocking index build) and SQL
    /// Server's own (MIG005x). PostgreSQL's lock rules (NOT VALID, CONCURRENTLY in a transaction,
    /// partitions, enums, PostgreSQL versions) do not apply.</summary>
    public static IReadOnlyList<HazardRule> SqlServerRules { get; } =
    [
        new DropColumnRule(), new DropTableRule(), new DropSchemaRule(), new RenameColumnRule(), new RenameTableRule(),
        new AddRequiredColumnRule(), new BlockingIndexBuildRule(),
        new SpRenameRule(), new NonConstantDefaultRule(), new DefaultNotNullEditionRule(), new AlterColumnRule(),
    ];

    /// <summary>The rules for the SQL of <paramref name="dialect"/>.</summary>
    public static IReadOnlyList<HazardRule> For(Dialects.ISqlDialect dialect) => dialect.Provider == "sqlserver" ? SqlServerRules : Rules;
}
