namespace Migrator.Analyzers
{
    /// <summary>The rule ids, shared with the compatibility checker; numbers follow docs/rules.</summary>
    public static class RuleIds
    {
        /// <summary>Rename of a column or table outside a contract phase (hazards 4 and 5).</summary>
        public const string RenameInMigration = "MIG0004";
    }
}
