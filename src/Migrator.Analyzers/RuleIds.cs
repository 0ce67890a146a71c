namespace Migrator.Analyzers
{
    /// <summary>
    /// Every rule id, shared by the Roslyn analyzers and the compatibility checker. MIG00NN is hazard NN of
    /// docs/rules/README.md (the lock and safety hazards, mapped to squawk / strong_migrations / Atlas);
    /// MIG004x are authoring rules; MIG005x are SQL Server's own hazards; MIG01xx are compatibility
    /// findings about app versions.
    /// </summary>
    public static class RuleIds
    {
        public const string DropColumn = "MIG0001";
        public const string DropTable = "MIG0002";
        public const string DropSchema = "MIG0003";
        public const string RenameInMigration = "MIG0004";
        public const string RenameTable = "MIG0005";
        public const string RenameSchema = "MIG0006";
        public const string ChangeColumnType = "MIG0007";
        public const string DefaultBeforePg11 = "MIG0010";
        public const string AddRequiredColumn = "MIG0009";
        public const string VolatileDefault = "MIG0011";
        public const string SetNotNull = "MIG0013";
        public const string DropNotNull = "MIG0014";
        public const string ForeignKeyWithoutNotValid = "MIG0015";
        public const string CheckWithoutNotValid = "MIG0016";
        public const string ValidateInSameTransaction = "MIG0017";
        public const string AddUnique = "MIG0018";
        public const string AddPrimaryKey = "MIG0019";
        public const string ExclusionConstraint = "MIG0020";
        public const string BlockingIndexBuild = "MIG0021";
        public const string ConcurrentlyInTransaction = "MIG0022";
        public const string BlockingIndexDrop = "MIG0023";
        public const string RewritingMaintenance = "MIG0024";
        public const string BlockingDetachPartition = "MIG0025";
        public const string NoLockTimeout = "MIG0026";
        public const string WorkAfterExclusiveLock = "MIG0027";
        public const string SeveralAlters = "MIG0028";
        public const string BackfillWithDdl = "MIG0029";
        public const string EnumChange = "MIG0030";
        public const string IntKey = "MIG0031";
        public const string JsonColumn = "MIG0032";
        public const string ChangeDefault = "MIG0033";
        public const string DropForeignKey = "MIG0034";
        public const string ForeignKeyWithoutIndex = "MIG0035";
        public const string RawSql = "MIG0036";
        public const string NotRerunnable = "MIG0037";
        public const string Truncate = "MIG0038";
        public const string ChangeWithoutAppVersion = "MIG0040";
        public const string DestructiveInExpand = "MIG0041";
        public const string SpRename = "MIG0050";
        public const string NonConstantDefault = "MIG0051";
        public const string DefaultNotNullEdition = "MIG0052";
        public const string AlterColumn = "MIG0053";
        public const string UnresolvedSql = "MIG0100";
        public const string MissingObject = "MIG0101";
        public const string InsertOmitsRequired = "MIG0102";
        public const string TypeChanged = "MIG0103";
        public const string NullIntoNonNullable = "MIG0104";
        public const string SelectStarLosesColumn = "MIG0105";
        public const string NoUsageManifest = "MIG0106";
        public const string UnparsedSql = "MIG0107";
        public const string ContractWaits = "MIG0108";
        public const string VerifyFailed = "MIG0109";
        public const string UnknownSchemaObject = "MIG0110";
        public const string PendingContractRemoves = "MIG0111";
        public const string DependentObjects = "MIG0112";
        public const string UserTriggersFire = "MIG0113";
        public const string SchemaDrift = "MIG0114";
    }
}
