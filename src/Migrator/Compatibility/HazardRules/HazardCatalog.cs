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
}
