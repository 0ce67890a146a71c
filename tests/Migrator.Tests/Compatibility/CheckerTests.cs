using Migrator.Authoring;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Operations;
using Semver;

namespace Migrator.Tests.Compatibility;

/// <summary>The checker on compiled changes and hand-written usage: each kind of finding, the conservative
/// rule, the hazard rules on raw SQL, and no finding at all on the SQL Migrator's own operations generate.</summary>
public sealed class CheckerTests
{
    [Change(1, "t", AppVersion = "1.0.0")]
    public sealed class Base : Change
    {
        public Base() => CreateTable("t", t => t
            .WithColumn("id").AsInt64().PrimaryKey()
            .WithColumn("a").AsCustom("text").NotNullable()
            .WithColumn("b").AsCustom("text").Nullable()
            .WithColumn("n").AsInt32().NotNullable()
            .WithColumn("amount").AsInt32().Nullable());
    }

    [Change(2, "b becomes required", AppVersion = "2.0.0")]
    public sealed class RequireB : Change
    {
        public RequireB() => SetNotNull("t", "b", fill: "''");
    }

    [Change(2, "n may be null", AppVersion = "2.0.0")]
    public sealed class NullableN : Change
    {
        public NullableN() => Sql(Phase.Expand, "ALTER TABLE t ALTER COLUMN n DROP NOT NULL", down: "ALTER TABLE t ALTER COLUMN n SET NOT NULL");
    }

    [Change(2, "amount widened in place", AppVersion = "2.0.0")]
    public sealed class RetypeAmount : Change
    {
        public RetypeAmount() => Sql(Phase.Contract, "ALTER TABLE t ALTER COLUMN amount TYPE bigint");
    }

    [Change(2, "b dropped", AppVersion = "2.0.0")]
    public sealed class DropB : Change
    {
        public DropB() => DropColumn("t", "b");
    }

    [Change(2, "raw hazards", AppVersion = "2.0.0")]
    public sealed class RawHazards : Change
    {
        public RawHazards() => Sql(
            Phase.Expand,
            "CREATE INDEX ix_t_a ON t (a); ALTER TABLE t ADD COLUMN c int NOT NULL; ALTER TABLE t ADD COLUMN d uuid DEFAULT gen_random_uuid(); " +
            "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY (n) REFERENCES t (id); ALTER TABLE t ADD CONSTRAINT ck_t CHECK (n > 0); " +
            "ALTER TABLE t ALTER COLUMN a TYPE varchar(10); ALTER TABLE t RENAME COLUMN b TO bb; DROP INDEX ix_old; TRUNCATE t CASCADE",
            down: "SELECT 1");
    }

    private static IReadOnlyList<ChangePlan> Plans(Type change) =>
        new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([typeof(Base), change], "test"), new SchemaModel());

    private static AppVersionUsage Version(string version, params UsageStatement[] statements) =>
        new(SemVersion.Parse(version, SemVersionStyles.Strict), new UsageManifest(UsageManifest.CurrentFormat, version, "app", "postgres", statements, []));

    private static UsageStatement Statement(string sql, params MappedColumn[] result) =>
        new("Repo.cs", 7, "Query", sql, "select", [new TableUsage(null, "t", sql.StartsWith("INSERT", StringComparison.Ordinal) || sql.StartsWith("UPDATE", StringComparison.Ordinal))],
            [], [], [], [], [], result.Length == 0 ? null : "Row", result, [], []);

    private static List<Finding> Errors(Type change, params AppVersionUsage[] versions) =>
        [.. CompatibilityChecker.Check(Plans(change), null, versions).Where(f => f.Severity == Severity.Error && f.AppVersion is not null)];

    [Test]
    public void An_insert_omitting_a_column_that_becomes_not_null_breaks_the_version_that_may_run_beside_the_contract()
    {
        var errors = Errors(typeof(RequireB), Version("2.0.0", Statement("INSERT INTO t (id, a, n) VALUES (@id, @a, @n)")), Version("2.0.1", Statement("INSERT INTO t (id, a, b, n) VALUES (@id, @a, @b, @n)")));
        Assert.That(errors.Select(e => (e.RuleId, e.AppVersion, e.Phase)), Is.EqualTo(new[] { ("MIG0102", "2.0.0", "contract") }));
        Assert.That(errors[0].Message, Does.Contain("inserts into t without b").And.Contain("Repo.cs:7").Or.Contain("without b"));
        Assert.That(errors[0].Location, Is.EqualTo("Repo.cs:7"));
    }

    [Test]
    public void Dropping_not_null_breaks_a_version_reading_the_column_into_a_non_nullable_value()
    {
        var errors = Errors(typeof(NullableN),
            Version("1.0.0", Statement("SELECT n FROM t WHERE id = @id", new MappedColumn("(scalar)", "int", Nullable: false))),
            Version("1.1.0", Statement("SELECT id, n FROM t", new MappedColumn("Id", "long", false), new MappedColumn("N", "int?", true))));
        Assert.That(errors.Select(e => (e.RuleId, e.AppVersion, e.Phase)), Is.EqualTo(new[] { ("MIG0104", "1.0.0", "expand") }));
    }

    [Test]
    public void A_type_change_is_an_error_for_writers_and_a_warning_for_readers()
    {
        var findings = CompatibilityChecker.Check(Plans(typeof(RetypeAmount)), null,
            [Version("2.0.0", Statement("UPDATE t SET amount = @amount WHERE id = @id"), Statement("SELECT amount FROM t"))]);
        var retypes = findings.Where(f => f.RuleId == "MIG0103").Select(f => (f.Severity, f.Sql)).ToList();
        Assert.That(retypes, Is.EquivalentTo(new[]
        {
            (Severity.Error, "UPDATE t SET amount = @amount WHERE id = @id"),
            (Severity.Warning, "SELECT amount FROM t"),
        }));
    }

    [Test]
    public void Select_star_into_a_type_loses_the_dropped_column_and_a_named_read_is_missing()
    {
        var errors = Errors(typeof(DropB),
            Version("2.0.0", Statement("SELECT * FROM t", new MappedColumn("Id", "long", false), new MappedColumn("B", "string", true)), Statement("SELECT b FROM t")));
        Assert.That(errors.Select(e => e.RuleId).Order(), Is.EqualTo(new[] { "MIG0101", "MIG0105" }));
        Assert.That(errors.Single(e => e.RuleId == "MIG0105").Message, Does.Contain("Row.B from column b"));
    }

    [Test]
    public void A_version_without_a_manifest_gets_the_conservative_rule_in_expand_only()
    {
        var noManifest = new AppVersionUsage(SemVersion.Parse("1.0.0", SemVersionStyles.Strict), null);
        var expand = Errors(typeof(RawHazards), noManifest);
        Assert.That(expand.Select(e => (e.RuleId, e.Phase)).Distinct(), Is.EqualTo(new[] { ("MIG0106", "expand") }));
        Assert.That(expand.Select(e => e.Message), Has.Some.Contains("removes or renames public.t.b"));

        var contract = Errors(typeof(DropB), new AppVersionUsage(SemVersion.Parse("2.0.0", SemVersionStyles.Strict), null));
        Assert.That(contract, Is.Empty, "at or after ContractAfter, the version rules are the conservative rule");
    }

    [Test]
    public void Hazard_rules_flag_raw_sql_with_their_ids()
    {
        var ids = CompatibilityChecker.Check(Plans(typeof(RawHazards)), null, [])
            .Where(f => f.ChangeId == 2 && f.Severity >= Severity.Warning)
            .Select(f => f.RuleId)
            .Distinct()
            .Order();
        Assert.That(ids, Is.EqualTo(new[] { "MIG0004", "MIG0007", "MIG0009", "MIG0011", "MIG0015", "MIG0016", "MIG0021", "MIG0023", "MIG0038" }));
    }

    [Test]
    public void The_sql_of_every_catalog_operation_passes_the_hazard_rules()
    {
        var noisy = new List<string>();
        foreach (var scenario in OperationScenarios.All())
        {
            var plans = new PhaseCompiler(new PostgresDialect()).Compile(
                ChangeCatalog.FromTypes([typeof(ScenarioBase), scenario.Change], scenario.Name), new SchemaModel());
            noisy.AddRange(CompatibilityChecker.Check(plans, null, [])
                .Where(f => f.Severity >= Severity.Warning)
                .Select(f => $"{scenario.Name}: {f}"));
        }

        Assert.That(noisy, Is.Empty);
    }
}
