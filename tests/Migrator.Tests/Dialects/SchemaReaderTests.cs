using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Dialects;

/// <summary>
/// What `baseline` reads from pg_catalog, on a schema with one of each thing real schemas have, and
/// the model `plan` builds from it: exact types, keys in their own order, partitions under their parent.
/// </summary>
public sealed class SchemaReaderTests : DatabaseTest
{
    private DatabaseSchema _schema = null!;

    [OneTimeSetUp]
    public async Task Read()
    {
        await ExecuteAsync("""
            CREATE SCHEMA lab;
            CREATE TYPE lab.mood AS ENUM ('calm', 'busy');
            CREATE DOMAIN lab.percent AS numeric(5, 2) NOT NULL DEFAULT 0 CONSTRAINT in_range CHECK (VALUE BETWEEN 0 AND 100);
            CREATE TYPE lab.point2 AS (x double precision, y double precision);
            CREATE TYPE lab.span AS RANGE (subtype = integer);
            CREATE TABLE lab.samples (
                id         bigint GENERATED ALWAYS AS IDENTITY,
                serial_no  serial,
                site       text NOT NULL,
                taken      tsrange NOT NULL,
                tags       varchar(20)[] NOT NULL DEFAULT '{}',
                mood       lab.mood NOT NULL DEFAULT 'calm',
                share      lab.percent,
                label      text COLLATE "C",
                label_len  integer GENERATED ALWAYS AS (length(label)) STORED,
                PRIMARY KEY (site, id),
                CONSTRAINT samples_no_overlap EXCLUDE USING gist (taken WITH &&)
            );
            ALTER TABLE lab.samples ADD CONSTRAINT samples_site_check CHECK (site <> '') NOT VALID;
            COMMENT ON TABLE lab.samples IS 'what the lab measured';
            COMMENT ON COLUMN lab.samples.site IS 'where';
            CREATE INDEX samples_busy ON lab.samples (site) WHERE mood = 'busy';
            CREATE INDEX samples_lower_label ON lab.samples (lower(label));
            CREATE TABLE lab.samples_archive (archived_at timestamptz) INHERITS (lab.samples);
            CREATE TABLE lab.readings (at date NOT NULL, region text NOT NULL, value int) PARTITION BY RANGE (at);
            CREATE TABLE lab.readings_2026 PARTITION OF lab.readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (region);
            CREATE TABLE lab.readings_2026_eu PARTITION OF lab.readings_2026 FOR VALUES IN ('eu');
            CREATE TABLE lab.readings_2027 PARTITION OF lab.readings FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
            CREATE FUNCTION lab.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER samples_stamp BEFORE UPDATE ON lab.samples FOR EACH ROW EXECUTE FUNCTION lab.stamp();
            ALTER TABLE lab.samples DISABLE TRIGGER samples_stamp;
            CREATE VIEW lab.busy_sites AS SELECT site, count(*) AS n FROM lab.samples WHERE mood = 'busy' GROUP BY site;
            CREATE MATERIALIZED VIEW lab.site_counts AS SELECT site, n FROM lab.busy_sites;
            CREATE UNIQUE INDEX site_counts_site ON lab.site_counts (site);
            INSERT INTO lab.readings VALUES ('2026-03-01', 'eu', 1), ('2026-03-01', 'eu', 1);
            """);
        // An INVALID index, as a failed concurrent build leaves one.
        Assert.That(async () => await ExecuteAsync("CREATE UNIQUE INDEX CONCURRENTLY readings_eu_unique ON lab.readings_2026_eu (at)"), Throws.InstanceOf<Npgsql.PostgresException>());
        await using var connection = await DataSource.OpenConnectionAsync();
        _schema = await SchemaReader.ReadAsync(connection, "migrator");
    }

    private TableInfo Table(string name) => _schema.Tables.Single(t => t.Schema == "lab" && t.Name == name);

    [Test]
    public void Columns_have_their_exact_types_identity_generated_collation_and_defaults()
    {
        var columns = Table("samples").Columns.ToDictionary(c => c.Name);
        Assert.That(columns["id"], Is.EqualTo(new ColumnInfo("id", "bigint", true, Identity: "always")));
        Assert.That(columns["serial_no"].Default, Is.EqualTo("nextval('lab.samples_serial_no_seq'::regclass)"));
        Assert.That(columns["tags"], Is.EqualTo(new ColumnInfo("tags", "character varying(20)[]", true, "'{}'::character varying[]")));
        Assert.That(columns["mood"], Is.EqualTo(new ColumnInfo("mood", "lab.mood", true, "'calm'::lab.mood")));
        Assert.That(columns["share"].Type, Is.EqualTo("lab.percent"));
        Assert.That(columns["label"].Collation, Is.EqualTo("pg_catalog.\"C\""));
        Assert.That(columns["label_len"].Generated, Is.EqualTo("length(label)"));
        Assert.That(columns["site"].Comment, Is.EqualTo("where"));
        Assert.That(Table("samples").Comment, Is.EqualTo("what the lab measured"));
    }

    [Test]
    public void Keys_constraints_indexes_and_triggers_keep_their_order_state_and_definitions()
    {
        var samples = Table("samples");
        Assert.That(samples.PrimaryKey!.Columns, Is.EqualTo(new[] { "site", "id" }), "the key's own order, not the table's");
        Assert.That(samples.Constraints.Single(c => c.Name == "samples_site_check"), Is.EqualTo(new ConstraintInfo("samples_site_check", "check", "CHECK ((site <> ''::text)) NOT VALID", false)));
        Assert.That(samples.Constraints.Single(c => c.Name == "samples_no_overlap").Type, Is.EqualTo("exclusion"));
        Assert.That(samples.Indexes.Single(i => i.Name == "samples_busy").Definition, Does.EndWith("WHERE (mood = 'busy'::lab.mood)"));
        Assert.That(samples.Indexes.Single(i => i.Name == "samples_lower_label").Definition, Does.Contain("(lower(label))"));
        Assert.That(Table("readings_2026_eu").Indexes.Single(i => i.Name == "readings_eu_unique").Valid, Is.False);
        Assert.That(samples.Triggers.Single(), Is.EqualTo(new TriggerInfo("samples_stamp",
            "CREATE TRIGGER samples_stamp BEFORE UPDATE ON lab.samples FOR EACH ROW EXECUTE FUNCTION lab.stamp()", "D", "lab.stamp()")));
    }

    [Test]
    public void Partitions_inheritance_views_types_sequences_and_functions_are_read()
    {
        Assert.That(Table("readings").Kind, Is.EqualTo("partitioned"));
        Assert.That(Table("readings").PartitionKey, Is.EqualTo("RANGE (at)"));
        Assert.That((Table("readings_2026").PartitionOf, Table("readings_2026").Kind), Is.EqualTo(("lab.readings", "partitioned")));
        Assert.That((Table("readings_2026_eu").PartitionOf, Table("readings_2026_eu").PartitionBound), Is.EqualTo(("lab.readings_2026", "FOR VALUES IN ('eu')")));
        Assert.That(Table("samples_archive").Inherits, Is.EqualTo(new[] { "lab.samples" }));

        var view = _schema.Views.Single(v => v.Name == "busy_sites");
        Assert.That((view.Materialized, view.DependsOn), Is.EqualTo((false, (IReadOnlyList<string>)["lab.samples"])));
        var counts = _schema.Views.Single(v => v.Name == "site_counts");
        Assert.That((counts.Materialized, counts.DependsOn, counts.Indexes.Single().Name), Is.EqualTo((true, (IReadOnlyList<string>)["lab.busy_sites"], "site_counts_site")));

        var types = _schema.Types.Where(t => t.Schema == "lab").ToDictionary(t => t.Name);
        Assert.That(types["mood"].Labels, Is.EqualTo(new[] { "calm", "busy" }));
        Assert.That(types["percent"].Definition, Is.EqualTo("numeric(5,2) NOT NULL DEFAULT 0 CONSTRAINT in_range CHECK (((VALUE >= (0)::numeric) AND (VALUE <= (100)::numeric)))"));
        Assert.That(types["point2"].Definition, Is.EqualTo("(x double precision, y double precision)"));
        Assert.That(types["span"].Kind, Is.EqualTo("range"));
        Assert.That(_schema.Sequences.Single(s => s.Schema == "lab").OwnedBy, Is.EqualTo("lab.samples.serial_no"), "identity sequences are part of their column, serial ones are listed");
        Assert.That(_schema.Functions.Single(f => f.Schema == "lab").Definition, Does.Contain("RETURN NEW"));
    }

    [Test]
    public void The_model_plan_starts_from_has_partitions_under_their_parent_and_keys_in_order()
    {
        var model = SchemaModel.FromBaseline(_schema);
        Assert.That(model.FindTable("lab", "readings_2026"), Is.Null, "a partition is not a table of its own in the model");
        var readings = model.GetTable("lab", "readings");
        Assert.That(readings.IsPartitioned, Is.True);
        Assert.That(readings.Partitions.Select(p => (p.Name, p.Children.Count)), Is.EqualTo(new[] { ("readings_2026", 1), ("readings_2027", 0) }));
        Assert.That(model.GetTable("lab", "samples").KeyColumns, Is.EqualTo(new[] { "site", "id" }));
        Assert.That(model.GetTable("lab", "samples").GetColumn("tags").Definition.CustomType, Is.EqualTo("character varying(20)[]"));
        Assert.That(model.FindTable("lab", "samples_archive"), Is.Not.Null, "an inheritance child is a table apps use");

        Assert.That(BaselineFile.Parse(BaselineFile.Serialize(_schema), "round trip"), Is.Not.Null);
        Assert.That(SchemaDrift.Compare(_schema, BaselineFile.Parse(BaselineFile.Serialize(_schema), "round trip")), Is.Empty, "the file reads back as the same schema");
    }
}
