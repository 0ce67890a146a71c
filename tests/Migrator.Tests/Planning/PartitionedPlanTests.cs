using Migrator.Authoring;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;

namespace Migrator.Tests.Planning;

/// <summary>
/// Plans on a partitioned table from a baseline (offline): an index is built ON ONLY the parent, then
/// concurrently on each leaf partition and attached (a sub-partitioned one with its own ON ONLY index
/// in between); its rollback drops top-down; a CHECK is validated partition by partition, deepest
/// first, each in its own transaction, then on the parent. A table the baseline has cannot be created.
/// BoxOfficeAdoptionTests runs these plans on a live partitioned table.
/// </summary>
public sealed class PartitionedPlanTests
{
    private static readonly DatabaseSchema Baseline = new()
    {
        Schemas = ["public"],
        Tables =
        [
            Table("events", "partitioned", null),
            Table("events_2026", "partitioned", "public.events"),
            Table("events_2026_eu", "table", "public.events_2026"),
            Table("events_2026_us", "table", "public.events_2026"),
            Table("events_2027", "table", "public.events"),
            new TableInfo { Schema = "public", Name = "regions", Kind = "table", Columns = [new ColumnInfo("code", "text", true)], PrimaryKey = new KeyInfo("regions_pkey", ["code"]) },
        ],
    };

    private static TableInfo Table(string name, string kind, string? parent) => new()
    {
        Schema = "public",
        Name = name,
        Kind = kind,
        PartitionOf = parent,
        Columns = [new ColumnInfo("at", "date", true), new ColumnInfo("region", "text", true), new ColumnInfo("amount", "integer", true)],
        PrimaryKey = new KeyInfo(name + "_pkey", ["region", "at"]),
    };

    private static ChangePlan Plan(Type change) =>
        new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([change], "partitioned"), SchemaModel.FromBaseline(Baseline))[0];

    [Test]
    public void An_index_is_built_per_partition_concurrently_and_attached_and_rolled_back_top_down()
    {
        var plan = Plan(typeof(IndexEvents));
        var expand = plan.Expand.SelectMany(s => s.Statements).Where(s => !s.IsBoundary).Select(s => (s.Sql, s.Transactional)).ToList();
        Assert.That(expand, Is.EqualTo(new[]
        {
            ("CREATE INDEX \"ix_amount\" ON ONLY \"public\".\"events\" (\"amount\");", true),
            ("CREATE INDEX \"events_2026_ix_amount\" ON ONLY \"public\".\"events_2026\" (\"amount\");", true),
            ("CREATE INDEX CONCURRENTLY \"events_2026_eu_ix_amount\" ON \"public\".\"events_2026_eu\" (\"amount\");", false),
            ("ALTER INDEX \"public\".\"events_2026_ix_amount\" ATTACH PARTITION \"public\".\"events_2026_eu_ix_amount\";", true),
            ("CREATE INDEX CONCURRENTLY \"events_2026_us_ix_amount\" ON \"public\".\"events_2026_us\" (\"amount\");", false),
            ("ALTER INDEX \"public\".\"events_2026_ix_amount\" ATTACH PARTITION \"public\".\"events_2026_us_ix_amount\";", true),
            ("ALTER INDEX \"public\".\"ix_amount\" ATTACH PARTITION \"public\".\"events_2026_ix_amount\";", true),
            ("CREATE INDEX CONCURRENTLY \"events_2027_ix_amount\" ON \"public\".\"events_2027\" (\"amount\");", false),
            ("ALTER INDEX \"public\".\"ix_amount\" ATTACH PARTITION \"public\".\"events_2027_ix_amount\";", true),
        }));
        var rollback = plan.Rollback.SelectMany(s => s.Statements).Select(s => s.Sql).ToList();
        Assert.That(rollback[0], Is.EqualTo("DROP INDEX IF EXISTS \"public\".\"ix_amount\";"));
        Assert.That(rollback.Skip(1), Is.EqualTo(new[]
        {
            "DROP INDEX IF EXISTS \"public\".\"events_2026_ix_amount\";",
            "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"events_2026_eu_ix_amount\";",
            "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"events_2026_us_ix_amount\";",
            "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"events_2027_ix_amount\";",
        }));
        Assert.That(plan.Rollback.SelectMany(s => s.Statements).All(s => s.Guard is not null), Is.True, "each drop runs only for an index this change built");
    }

    [Test]
    public void A_check_is_validated_partition_by_partition_then_on_the_parent()
    {
        var steps = Plan(typeof(CheckEvents)).Contract.Select(s => string.Join(" ", s.Statements.Select(t => t.Sql))).ToList();
        Assert.That(steps, Is.EqualTo(new[]
        {
            "ALTER TABLE \"public\".\"events_2026_eu\" VALIDATE CONSTRAINT \"amount_positive\";",
            "ALTER TABLE \"public\".\"events_2026_us\" VALIDATE CONSTRAINT \"amount_positive\";",
            "ALTER TABLE \"public\".\"events_2026\" VALIDATE CONSTRAINT \"amount_positive\";",
            "ALTER TABLE \"public\".\"events_2027\" VALIDATE CONSTRAINT \"amount_positive\";",
            "ALTER TABLE \"public\".\"events\" VALIDATE CONSTRAINT \"amount_positive\";",
        }));
    }

    [Test]
    public void A_foreign_key_goes_on_each_leaf_not_valid_is_validated_there_then_attached_by_the_parents()
    {
        var plan = Plan(typeof(SiteKey));
        Assert.That(plan.Expand.SelectMany(s => s.Statements).Select(s => s.Sql), Is.EqualTo(new[] { "events_2026_eu", "events_2026_us", "events_2027" }
            .Select(t => $"ALTER TABLE \"public\".\"{t}\" ADD CONSTRAINT \"fk_region\" FOREIGN KEY (\"region\") REFERENCES \"public\".\"regions\" (\"code\") ON DELETE NO ACTION NOT VALID;")));
        var contract = plan.Contract.Select(s => string.Join(" ", s.Statements.Select(t => t.Sql))).ToList();
        Assert.That(contract, Has.Count.EqualTo(4));
        Assert.That(contract[0], Is.EqualTo("ALTER TABLE \"public\".\"events_2026_eu\" VALIDATE CONSTRAINT \"fk_region\";"));
        Assert.That(contract[3], Is.EqualTo("ALTER TABLE \"public\".\"events\" ADD CONSTRAINT \"fk_region\" FOREIGN KEY (\"region\") REFERENCES \"public\".\"regions\" (\"code\") ON DELETE NO ACTION;"));
    }

    [Test]
    public void A_unique_constraint_is_a_unique_index_built_per_partition()
    {
        var expand = Plan(typeof(UniqueRegionAt)).Expand.SelectMany(s => s.Statements).Select(s => s.Sql).ToList();
        Assert.That(expand[0], Is.EqualTo("CREATE UNIQUE INDEX \"uq_region_at\" ON ONLY \"public\".\"events\" (\"region\", \"at\");"));
        Assert.That(expand.Count(s => s.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(expand.Any(s => s.Contains("USING INDEX", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public void A_table_the_baseline_has_cannot_be_created_again()
    {
        var error = Assert.Throws<MigratorException>(() => Plan(typeof(CreateEventsAgain)));
        Assert.That(error!.Message, Does.Contain("events already exists"));
    }

    [Change(1, "index events by amount", AppVersion = "2.0.0")]
    public sealed class IndexEvents : Change
    {
        public IndexEvents() => CreateIndex("events", "ix_amount", ["amount"]);
    }

    [Change(1, "amounts are positive", AppVersion = "2.0.0")]
    public sealed class CheckEvents : Change
    {
        public CheckEvents() => AddCheck("events", "amount_positive", "amount > 0");
    }

    [Change(1, "events reference regions", AppVersion = "2.0.0")]
    public sealed class SiteKey : Change
    {
        public SiteKey() => AddForeignKey("events", "fk_region", ["region"], "regions", ["code"]);
    }

    [Change(1, "one event per region and day", AppVersion = "2.0.0")]
    public sealed class UniqueRegionAt : Change
    {
        public UniqueRegionAt() => AddUnique("events", "uq_region_at", ["region", "at"]);
    }

    [Change(1, "events again", AppVersion = "2.0.0")]
    public sealed class CreateEventsAgain : Change
    {
        public CreateEventsAgain() => CreateTable("events", t => t.WithColumn("id").AsInt64().PrimaryKey());
    }
}
