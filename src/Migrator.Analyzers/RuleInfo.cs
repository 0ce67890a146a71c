using System.Collections.Generic;
using System.Linq;

namespace Migrator.Analyzers
{
    /// <summary>What a rule is about and the names the same check has in squawk, strong_migrations and Atlas.</summary>
    public sealed class RuleInfo
    {
        public RuleInfo(string id, string title, string squawk, string strongMigrations, string atlas)
        {
            Id = id;
            Title = title;
            Squawk = squawk;
            StrongMigrations = strongMigrations;
            Atlas = atlas;
        }

        public string Id { get; }

        public string Title { get; }

        public string Squawk { get; }

        public string StrongMigrations { get; }

        public string Atlas { get; }

        /// <summary>Where the rule pages are published unless configured otherwise (migrator.json
        /// <c>ruleDocsUrl</c>, <c>--rule-docs-url</c>): docs/rules/ of the project's repository.</summary>
        public const string DefaultDocsBaseUrl = "https://github.com/migrator/migrator/blob/main/docs/rules/";

        /// <summary>The rule's page at the default address (absolute: it is shown in build output, the IDE and SARIF).</summary>
        public string HelpUri => DocsUrl(Id);

        /// <summary>What the rule checks, why it matters and what to do instead: the page's first words, for
        /// SARIF's fullDescription and the analyzers' descriptions.</summary>
        public string Description => Title + ": what it breaks, why, and what to write instead are at " + HelpUri;

        /// <summary>The rule's page under <paramref name="baseUrl"/> (a missing trailing slash is added).</summary>
        public static string DocsUrl(string id, string baseUrl = DefaultDocsBaseUrl) =>
            baseUrl + (baseUrl.EndsWith("/", System.StringComparison.Ordinal) ? "" : "/") + id + ".md";

        /// <summary>Every rule, in id order. docs/rules/README.md is checked against this list by a test.</summary>
        public static IReadOnlyList<RuleInfo> All { get; } = new[]
        {
            new RuleInfo(RuleIds.DropColumn, "Column dropped while an app version may still use it", "ban-drop-column", "remove_column", "DS103"),
            new RuleInfo(RuleIds.DropTable, "Table dropped while an app version may still use it", "ban-drop-table", "-", "DS102"),
            new RuleInfo(RuleIds.DropSchema, "Schema or database dropped", "ban-drop-database", "-", "DS101"),
            new RuleInfo(RuleIds.RenameInMigration, "Column renamed in place", "renaming-column", "rename_column", "BC102"),
            new RuleInfo(RuleIds.RenameTable, "Table renamed with no view keeping the old name", "renaming-table", "rename_table", "BC101"),
            new RuleInfo(RuleIds.RenameSchema, "Schema renamed (every qualified name breaks)", "-", "rename_schema", "-"),
            new RuleInfo(RuleIds.ChangeColumnType, "Column type changed in place", "changing-column-type", "change_column", "PG301"),
            new RuleInfo(RuleIds.DefaultBeforePg11, "Column added with a default before PostgreSQL 11 (table rewrite)", "adding-field-with-default", "add_column_default", "-"),
            new RuleInfo(RuleIds.AddRequiredColumn, "NOT NULL column added without a default", "adding-required-field", "-", "MF103"),
            new RuleInfo(RuleIds.VolatileDefault, "Column added with a volatile default (table rewrite)", "adding-field-with-default", "add_column_default", "PG302"),
            new RuleInfo(RuleIds.SetNotNull, "SET NOT NULL without a validated CHECK first (full scan under lock)", "adding-not-nullable-field", "change_column_null", "PG303"),
            new RuleInfo(RuleIds.DropNotNull, "DROP NOT NULL while an app version may read the column as never NULL", "ban-drop-not-null", "-", "-"),
            new RuleInfo(RuleIds.ForeignKeyWithoutNotValid, "Foreign key added without NOT VALID", "adding-foreign-key-constraint", "add_foreign_key", "PG306"),
            new RuleInfo(RuleIds.CheckWithoutNotValid, "CHECK constraint added without NOT VALID", "constraint-missing-not-valid", "add_check_constraint", "PG305"),
            new RuleInfo(RuleIds.ValidateInSameTransaction, "Constraint validated in the transaction that added it", "constraint-missing-not-valid", "validate_foreign_key", "-"),
            new RuleInfo(RuleIds.AddUnique, "UNIQUE constraint built under lock (no USING INDEX)", "disallowed-unique-constraint", "add_unique_constraint", "PG105"),
            new RuleInfo(RuleIds.AddPrimaryKey, "PRIMARY KEY built under lock (no USING INDEX)", "adding-serial-primary-key-field", "-", "PG104"),
            new RuleInfo(RuleIds.ExclusionConstraint, "Exclusion constraint added to an existing table", "-", "add_exclusion_constraint", "-"),
            new RuleInfo(RuleIds.BlockingIndexBuild, "Index built without CONCURRENTLY (SQL Server: ONLINE = ON)", "require-concurrent-index-creation", "add_index", "PG101"),
            new RuleInfo(RuleIds.ConcurrentlyInTransaction, "CONCURRENTLY inside a transaction", "ban-concurrent-index-creation-in-transaction", "-", "PG103"),
            new RuleInfo(RuleIds.BlockingIndexDrop, "Index dropped without CONCURRENTLY", "require-concurrent-index-deletion", "remove_index", "PG102"),
            new RuleInfo(RuleIds.RewritingMaintenance, "REINDEX without CONCURRENTLY, VACUUM FULL or CLUSTER", "require-concurrent-reindex", "-", "-"),
            new RuleInfo(RuleIds.BlockingDetachPartition, "DETACH PARTITION without CONCURRENTLY", "require-concurrent-partition-detach", "-", "-"),
            new RuleInfo(RuleIds.NoLockTimeout, "Locking DDL with no lock_timeout set (plain .sql migrations)", "require-timeout-settings", "-", "-"),
            new RuleInfo(RuleIds.WorkAfterExclusiveLock, "More statements after an ACCESS EXCLUSIVE lock in the same transaction", "-", "-", "-"),
            new RuleInfo(RuleIds.SeveralAlters, "Several ALTER TABLE statements on one table in one transaction", "-", "-", "-"),
            new RuleInfo(RuleIds.BackfillWithDdl, "Data backfill in the same migration or transaction as DDL", "-", "- (their issue #228)", "-"),
            new RuleInfo(RuleIds.EnumChange, "Enum type changed while an app version may not know the value", "require-enum-value-ordering", "rename_enum_value", "MY110"),
            new RuleInfo(RuleIds.IntKey, "int or smallint primary key (exhaustion; int to bigint later is a rewrite)", "prefer-bigint-over-int", "-", "-"),
            new RuleInfo(RuleIds.JsonColumn, "json column (no equality operator: DISTINCT, UNION and GROUP BY fail)", "-", "add_column_json", "-"),
            new RuleInfo(RuleIds.ChangeDefault, "Column default changed while an app version relies on the old one", "-", "change_column_default", "-"),
            new RuleInfo(RuleIds.DropForeignKey, "Foreign key dropped (integrity no longer enforced)", "-", "-", "CD101"),
            new RuleInfo(RuleIds.ForeignKeyWithoutIndex, "Foreign key with no index on its referencing columns", "-", "-", "-"),
            new RuleInfo(RuleIds.RawSql, "Raw SQL with a destructive or locking statement", "-", "execute", "-"),
            new RuleInfo(RuleIds.NotRerunnable, "Statement outside a transaction that fails when run again (no IF [NOT] EXISTS)", "prefer-robust-stmts", "-", "-"),
            new RuleInfo(RuleIds.Truncate, "TRUNCATE … CASCADE empties tables it does not name (a plain TRUNCATE is noted)", "ban-truncate-cascade", "-", "-"),
            new RuleInfo(RuleIds.ChangeWithoutAppVersion, "Change with no app version, or contract tied to no version", "-", "-", "-"),
            new RuleInfo(RuleIds.DestructiveInExpand, "Destructive or renaming operation in an expand phase or a plain FluentMigrator migration", "ban-drop-column", "remove_column", "BC102"),
            new RuleInfo(RuleIds.SpRename, "SQL Server: sp_rename leaves code that names the old name broken", "-", "-", "-"),
            new RuleInfo(RuleIds.NonConstantDefault, "SQL Server: column added with a default that is not a runtime constant (every row written)", "-", "-", "-"),
            new RuleInfo(RuleIds.DefaultNotNullEdition, "SQL Server: NOT NULL column with a default is metadata-only on Enterprise only", "-", "-", "-"),
            new RuleInfo(RuleIds.AlterColumn, "SQL Server: ALTER COLUMN changes the type, shrinks it or sets NOT NULL under a schema-modification lock", "-", "change_column", "-"),
            new RuleInfo(RuleIds.UnresolvedSql, "Dapper SQL built at run time cannot be checked", "-", "-", "-"),
            new RuleInfo(RuleIds.MissingObject, "A live app version uses a table or column the phase removes", "-", "-", "-"),
            new RuleInfo(RuleIds.InsertOmitsRequired, "A live app version's INSERT omits a column that becomes NOT NULL", "adding-required-field", "-", "MF103"),
            new RuleInfo(RuleIds.TypeChanged, "A live app version uses a column whose type changes", "changing-column-type", "change_column", "PG301"),
            new RuleInfo(RuleIds.NullIntoNonNullable, "A live app version maps a column that will allow NULL to a non-nullable type", "ban-drop-not-null", "-", "-"),
            new RuleInfo(RuleIds.SelectStarLosesColumn, "SELECT * into a type whose property loses its column", "-", "-", "-"),
            new RuleInfo(RuleIds.NoUsageManifest, "Live app version without a usage manifest (conservative rule)", "-", "-", "-"),
            new RuleInfo(RuleIds.UnparsedSql, "App SQL the analyser cannot read", "-", "-", "-"),
            new RuleInfo(RuleIds.ContractWaits, "Contract waits for an older app version to retire", "-", "-", "-"),
            new RuleInfo(RuleIds.VerifyFailed, "PostgreSQL rejects an app statement after the phase (online proof)", "-", "-", "-"),
            new RuleInfo(RuleIds.UnknownSchemaObject, "Dapper query names a table or column that does not exist", "-", "-", "-"),
            new RuleInfo(RuleIds.PendingContractRemoves, "Dapper query uses a column or table a pending contract removes", "-", "-", "-"),
            new RuleInfo(RuleIds.DependentObjects, "Views, rules, functions, policies or foreign keys depend on what a contract drops or retypes", "-", "-", "-"),
            new RuleInfo(RuleIds.UserTriggersFire, "The table's own triggers fire on every row a backfill updates", "-", "-", "-"),
            new RuleInfo(RuleIds.SchemaDrift, "The live schema differs from the one Migrator recorded (baseline or last phase)", "-", "-", "-"),
        };

        public static RuleInfo Get(string id) => All.First(r => r.Id == id);
    }
}
