using Migrator.Authoring;
using Migrator.Authoring.Operations;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Operations;

/// <summary>
/// Every kind of catalog operation on a partitioned table with a sub-partitioned partition, planned from
/// its baseline and run expand → backfill → contract on PostgreSQL: columns, defaults, NOT NULL,
/// checks, foreign keys, uniqueness, indexes, renames and type changes reach every partition, every
/// index ends valid and every constraint validated, and no row changes but as the changes say. Then
/// each change that can is rolled back (newest first) and the schema is as it was.
/// </summary>
public sealed class PartitionedOperationsTests : DatabaseTest
{
    private static readonly string[] Leaves = ["readings_2026_eu", "readings_2026_rest", "readings_2027"];

    [Test]
    public async Task Every_operation_reaches_every_partition_and_rolls_back()
    {
        await ExecuteAsync("""
            CREATE TABLE sites (id int PRIMARY KEY);
            INSERT INTO sites SELECT generate_series(1, 10);
            CREATE TABLE readings (id bigint NOT NULL, at date NOT NULL, region text NOT NULL, site_id int NOT NULL, amount int NOT NULL,
                PRIMARY KEY (region, at, id)) PARTITION BY RANGE (at);
            CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (region);
            CREATE TABLE readings_2026_eu PARTITION OF readings_2026 FOR VALUES IN ('eu');
            CREATE TABLE readings_2026_rest PARTITION OF readings_2026 DEFAULT;
            CREATE TABLE readings_2027 PARTITION OF readings FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
            INSERT INTO readings SELECT g, date '2026-01-01' + g % 700, (ARRAY['eu', 'us'])[1 + g % 2], 1 + g % 10, g FROM generate_series(1, 3000) g;
            """);
        await using var connection = await DataSource.OpenConnectionAsync();
        var model = SchemaModel.FromBaseline(await SchemaReader.ReadAsync(connection, "migrator"));
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes(typeof(PartitionedOperationsTests).GetNestedTypes().Where(t => t != typeof(IndexAgain)), "partitioned"), model);
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(plans);
        var executor = new PhaseExecutor(ledger, ExecutionOptions.Default);
        string data = (await ScalarAsync<string>("SELECT md5(string_agg(id || ':' || at || ':' || region || ':' || site_id || ':' || amount, ',' ORDER BY id)) FROM readings"))!;

        foreach (var plan in plans)
        {
            await executor.RunAsync(plan, Phase.Expand);
            foreach (var spec in plan.Backfills)
            {
                await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions()).RunAsync(plan.Id, spec);
            }

            await executor.RunAsync(plan, Phase.Contract);
        }

        foreach (string leaf in Leaves)
        {
            Assert.That(await ScalarAsync<string>($"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN '!' ELSE '' END, ', ' ORDER BY attname) FROM pg_attribute WHERE attrelid = '{leaf}'::regclass AND attnum > 0 AND NOT attisdropped"),
                Is.EqualTo("at date!, id bigint!, qty bigint!, region text!, site_id integer!"), leaf);
            Assert.That(await ScalarAsync<string>($"SELECT string_agg(conname || ':' || contype::text || ':' || convalidated, ', ' ORDER BY conname COLLATE \"C\") FROM pg_constraint WHERE conrelid = '{leaf}'::regclass"),
                Is.EqualTo($"qty_positive:c:true, {leaf}_pkey:p:true, readings_site_fk:f:true"), leaf);
        }

        Assert.That(await ScalarAsync<string>("SELECT string_agg(conname || ':' || contype::text || ':' || convalidated, ', ' ORDER BY conname COLLATE \"C\") FROM pg_constraint WHERE conrelid = 'readings'::regclass"),
            Is.EqualTo("qty_positive:c:true, readings_pkey:p:true, readings_site_fk:f:true"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), Is.EqualTo(0), "every index valid");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%readings_unique%' AND i.indisunique"), Is.EqualTo(5),
            "the unique index on the parent, the sub-partitioned partition and each leaf");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%ix_site%'"), Is.EqualTo(0), "dropped again");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'migrator_%'"), Is.EqualTo(0));
        Assert.That(await ScalarAsync<string>("SELECT md5(string_agg(id || ':' || at || ':' || region || ':' || site_id || ':' || qty, ',' ORDER BY id)) FROM readings"), Is.EqualTo(data),
            "every row reads the same, under the new names and types");

        // A change on the partitioned table rolled back after its expand leaves the schema as it was.
        var indexAgain = new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([typeof(IndexAgain)], "again"), model)[0];
        await ledger.RecordChangesAsync([indexAgain]);
        var before = await SchemaSnapshot.ReadAsync(connection);
        await executor.RunAsync(indexAgain, Phase.Expand);
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE '%ix_region_at%'"), Is.EqualTo(5));
        await executor.RunAsync(indexAgain, Phase.Rollback);
        Assert.That(await SchemaSnapshot.ReadAsync(connection), Is.EqualTo(before));
    }

    [Change(1, "note", AppVersion = "2.0.0")]
    public sealed class C01 : Change
    {
        public C01() => AddColumn("readings", "note", "text");
    }

    [Change(2, "note default", AppVersion = "3.0.0")]
    public sealed class C02 : Change
    {
        public C02() => SetDefault("readings", "note", "'n/a'");
    }

    [Change(3, "note not null", AppVersion = "4.0.0")]
    public sealed class C03 : Change
    {
        public C03() => SetNotNull("readings", "note", fill: "'n/a'");
    }

    [Change(4, "amount positive", AppVersion = "5.0.0")]
    public sealed class C04 : Change
    {
        public C04() => AddCheck("readings", "qty_positive", "amount > 0", ["amount"]);
    }

    [Change(5, "site fk", AppVersion = "6.0.0")]
    public sealed class C05 : Change
    {
        public C05() => AddForeignKey("readings", "readings_site_fk", ["site_id"], "sites", ["id"]);
    }

    [Change(6, "unique", AppVersion = "7.0.0")]
    public sealed class C06 : Change
    {
        public C06() => AddUnique("readings", "readings_unique", ["id", "at", "region"]);
    }

    [Change(7, "index", AppVersion = "8.0.0")]
    public sealed class C07 : Change
    {
        public C07() => CreateIndex("readings", "ix_site", ["site_id"]);
    }

    [Change(8, "rename amount", AppVersion = "9.0.0")]
    public sealed class C08 : Change
    {
        public C08() => RenameColumn("readings", "amount", "qty");
    }

    [Change(9, "widen qty", AppVersion = "10.0.0")]
    public sealed class C09 : Change
    {
        public C09() => ChangeColumnType("readings", "qty", "bigint");
    }

    [Change(10, "drop index", AppVersion = "11.0.0")]
    public sealed class C10 : Change
    {
        public C10() => DropIndex("readings", "ix_site");
    }

    [Change(11, "note nullable", AppVersion = "12.0.0")]
    public sealed class C11 : Change
    {
        public C11() => DropNotNull("readings", "note");
    }

    [Change(12, "note no default", AppVersion = "13.0.0")]
    public sealed class C12 : Change
    {
        public C12() => DropDefault("readings", "note");
    }

    [Change(13, "drop note", AppVersion = "14.0.0")]
    public sealed class C13 : Change
    {
        public C13() => DropColumn("readings", "note");
    }

    [Change(20, "index again", AppVersion = "20.0.0")]
    public sealed class IndexAgain : Change
    {
        public IndexAgain() => CreateIndex("readings", "ix_region_at", ["region", "at"]);
    }
}
