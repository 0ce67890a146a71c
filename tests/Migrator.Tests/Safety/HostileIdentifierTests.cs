using System.Text;
using Migrator.Authoring;
using Migrator.Authoring.Operations;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Safety;

/// <summary>
/// Every operation's every generated statement, run on PostgreSQL with identifiers made to break
/// quoting: quotes, <c>$</c> and the old fixed dollar-quote tag, <c>;</c>, <c>--</c>, unicode and a
/// 63-byte name, with <c>check_function_bodies = off</c> (so a broken trigger body would not be caught
/// at CREATE FUNCTION). Each change goes expand → rollback → expand → backfill → contract, and a
/// sentinel table must come through untouched. Regression for the trigger body quoted with the fixed
/// tag <c>$migrator$</c>, which let an identifier end the body and run the rest of its name as SQL.
/// </summary>
public sealed class HostileIdentifierTests : DatabaseTest
{
    public const string Table = "it's \"tbl\"; DROP TABLE sentinel; --";
    public const string Dollar = "d$migrator$; DROP TABLE sentinel; $migrator$";
    public const string Quote = "q\"; DROP TABLE sentinel; --";
    public const string Semi = "s;'--' /* c */";
    public const string Unicode = "ünï_名前_ßß";
    public const string Other = "o\"ther$$";
    public const string Owners = "own\"ers$migrator$";

    /// <summary>63 bytes of UTF-8: 31 two-byte letters and one ASCII letter.</summary>
    public static readonly string Long63 = new string('é', 31) + "x";

    [Test]
    public void The_long_name_is_exactly_the_limit() => Assert.That(Encoding.UTF8.GetByteCount(Long63), Is.EqualTo(63));

    [Test]
    public async Task Every_operation_runs_with_hostile_identifiers_and_touches_nothing_else()
    {
        await ExecuteAsync($"""
            ALTER DATABASE "{ConnectionStringDatabase()}" SET check_function_bodies = off;
            CREATE TABLE sentinel (id int PRIMARY KEY);
            INSERT INTO sentinel SELECT generate_series(1, 10);
            """);
        var changes = ChangeCatalog.FromTypes(typeof(HostileIdentifierTests).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(Change)) && !t.Name.StartsWith("TooLong", StringComparison.Ordinal)), "hostile");
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(changes, new SchemaModel());
        await using var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(plans);
        var options = new ExecutionOptions(TimeSpan.FromSeconds(2), 3);
        foreach (var plan in plans)
        {
            await Run(plan, Phase.Expand);
            await Seed(plan);
            if (plan.RollbackUnavailable is null && plan.Id > 1)
            {
                await Run(plan, Phase.Rollback);
                await ledger.ForgetRolledBackAsync();
                await Run(plan, Phase.Expand);
            }

            foreach (var spec in plan.Backfills)
            {
                await new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(BatchSize: 7)).RunAsync(plan.Id, spec);
            }

            await Run(plan, Phase.Contract);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM sentinel"), Is.EqualTo(10), $"sentinel after change {plan.Id}");
        }

        // The final shape holds the renamed, retyped, split and merged columns with the rows' values.
        string t = PgSql.Qualified("public", Table + "2");
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM {t} WHERE {PgSql.Ident(Quote + "!")} = 'first ' || id"), Is.EqualTo(20));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM {t} WHERE {PgSql.Ident(Long63)} = 'w' || id || ' x' || id"), Is.EqualTo(20));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM {t} WHERE {PgSql.Ident(Dollar)} = upper('a' || id)"), Is.EqualTo(20));
        Assert.That(await ScalarAsync<string>($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass('{t.Replace("'", "''", StringComparison.Ordinal)}') AND attname = '{Semi.Replace("'", "''", StringComparison.Ordinal)}'"), Is.EqualTo("bigint"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE pronamespace = 'migrator'::regnamespace AND prorettype = 'trigger'::regtype"), Is.EqualTo(0), "every trigger function dropped at contract");

        async Task Run(ChangePlan plan, Phase phase) => await new PhaseExecutor(ledger, options).RunAsync(plan, phase);

        async Task Seed(ChangePlan plan)
        {
            if (plan.Id == 1)
            {
                await ExecuteAsync($"""
                    INSERT INTO {PgSql.Qualified("public", Owners)} (id) SELECT generate_series(1, 20);
                    INSERT INTO {PgSql.Qualified("public", Table)} (id, {PgSql.Ident(Quote)}, {PgSql.Ident(Semi)}, {PgSql.Ident(Unicode)}, {PgSql.Ident(Other)}, {PgSql.Ident(Long63)}, {PgSql.Ident(Owners)})
                    SELECT g, 'first ' || g, g, 'u' || g, 'o' || g, 'w' || g || ' x' || g, g FROM generate_series(1, 20) g;
                    """);
            }
        }
    }

    [TestCase(typeof(TooLongInOperation), "add column")]
    [TestCase(typeof(TooLongInFluentMigrator), "Create.Table")]
    public void An_identifier_over_63_bytes_is_refused_with_exit_2_naming_it_and_its_length(Type change, string what)
    {
        var changes = ChangeCatalog.FromTypes([change], "too long");
        var error = Assert.Throws<MigratorException>(() => new PhaseCompiler(new PostgresDialect()).Compile(changes, new SchemaModel()));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.BadInput), what);
        Assert.That(error.Message, Does.Contain(TooLong).And.Contain("64 bytes"), what);
    }

    [Test]
    public void Generated_names_fit_63_bytes_on_a_character_boundary_and_stay_distinct()
    {
        string a = PgNames.Fit("migrator_new_" + Long63);
        string b = PgNames.Fit("migrator_new_" + Long63[..^1] + "y");
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetByteCount(a), Is.LessThanOrEqualTo(63));
            Assert.That(Encoding.UTF8.GetByteCount(b), Is.LessThanOrEqualTo(63));
            Assert.That(a, Is.Not.EqualTo(b));
            Assert.That(a, Does.StartWith("migrator_new_é"));
            Assert.That(a.Contains('\uFFFD', StringComparison.Ordinal), Is.False);
        });
    }

    /// <summary>64 bytes: one more than PostgreSQL keeps.</summary>
    public const string TooLong = "éééééééééééééééééééééééééééééééxy";

    [Change(1, "too long in an operation", AppVersion = "1.0.0")]
    public sealed class TooLongInOperation : Change
    {
        public TooLongInOperation()
        {
            CreateTable("t", t => t.WithColumn("id").AsInt64().PrimaryKey());
            AddColumn("t", TooLong, "text");
        }
    }

    [Change(1, "too long in FluentMigrator", AppVersion = "1.0.0")]
    public sealed class TooLongInFluentMigrator : Change
    {
        protected override void Expand() => Create.Table("t").WithColumn(TooLong).AsInt64().PrimaryKey();
    }

    private string ConnectionStringDatabase() => new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    [Change(1, "hostile base", AppVersion = "1.0.0")]
    public sealed class C01Base : Change
    {
        public C01Base()
        {
            CreateTable(Owners, t => t.WithColumn("id").AsInt64().PrimaryKey());
            CreateTable(Table, t => t
                .WithColumn("id").AsInt64().PrimaryKey()
                .WithColumn(Quote).AsCustom("text").NotNullable()
                .WithColumn(Semi).AsInt32().NotNullable()
                .WithColumn(Unicode).AsCustom("text").Nullable()
                .WithColumn(Other).AsCustom("text").Nullable()
                .WithColumn(Long63).AsCustom("text").Nullable()
                .WithColumn(Owners).AsInt64().Nullable());
        }
    }

    [Change(2, "fill column", AppVersion = "1.1.0")]
    public sealed class C02AddFilled : Change
    {
        public C02AddFilled() => AddColumn(Table, Dollar, "text", nullable: false, fill: $"upper('a' || {PgSql.Ident("id")})");
    }

    [Change(3, "rename column", AppVersion = "1.2.0")]
    public sealed class C03Rename : Change
    {
        public C03Rename() => RenameColumn(Table, Quote, Quote + "!");
    }

    [Change(4, "retype", AppVersion = "1.3.0")]
    public sealed class C04Retype : Change
    {
        public C04Retype() => ChangeColumnType(Table, Semi, "bigint");
    }

    [Change(5, "split", AppVersion = "1.4.0")]
    public sealed class C05Split : Change
    {
        public C05Split() => SplitColumn(Table, Long63,
            [new NewColumn(Long63[..20] + "_a", "text", $"split_part({PgSql.Ident(Long63)}, ' ', 1)"), new NewColumn(Long63[..20] + "_b", "text", $"split_part({PgSql.Ident(Long63)}, ' ', 2)")],
            down: $"{PgSql.Ident(Long63[..20] + "_a")} || ' ' || {PgSql.Ident(Long63[..20] + "_b")}");
    }

    [Change(6, "merge", AppVersion = "1.5.0")]
    public sealed class C06Merge : Change
    {
        public C06Merge() => MergeColumns(Table, [Long63[..20] + "_a", Long63[..20] + "_b"],
            new NewColumn(Long63, "text", $"{PgSql.Ident(Long63[..20] + "_a")} || ' ' || {PgSql.Ident(Long63[..20] + "_b")}"),
            new Dictionary<string, string>
            {
                [Long63[..20] + "_a"] = $"split_part({PgSql.Ident(Long63)}, ' ', 1)",
                [Long63[..20] + "_b"] = $"split_part({PgSql.Ident(Long63)}, ' ', 2)",
            });
    }

    [Change(7, "constraints and indexes", AppVersion = "1.6.0")]
    public sealed class C07Constraints : Change
    {
        public C07Constraints()
        {
            AddCheck(Table, "ck " + Quote, $"{PgSql.Ident(Semi)} >= 0", [Semi]);
            AddUnique(Table, "uq " + Dollar[..20], [Other]);
            CreateIndex(Table, "ix " + Semi, [Unicode]);
            AddForeignKey(Table, "fk " + Owners, [Owners], Owners, ["id"]);
        }
    }

    [Change(8, "nullability and defaults", AppVersion = "1.7.0")]
    public sealed class C08Nullability : Change
    {
        public C08Nullability()
        {
            SetNotNull(Table, Unicode, fill: "'none'");
            DropNotNull(Table, Dollar, rollbackFill: "'x'");
            SetDefault(Table, Other, "'dflt $migrator$'");
        }
    }

    [Change(9, "drop default and index", AppVersion = "1.8.0")]
    public sealed class C09Drops : Change
    {
        public C09Drops()
        {
            DropDefault(Table, Other);
            DropIndex(Table, "ix " + Semi);
        }
    }

    [Change(10, "drop column", AppVersion = "1.9.0")]
    public sealed class C10DropColumn : Change
    {
        public C10DropColumn() => DropColumn(Table, Other, down: "'gone'");
    }

    [Change(11, "rename table", AppVersion = "2.0.0")]
    public sealed class C11RenameTable : Change
    {
        public C11RenameTable() => RenameTable(Table, Table + "2");
    }

    [Change(12, "drop table", AppVersion = "2.1.0")]
    public sealed class C12DropTable : Change
    {
        public C12DropTable()
        {
            CreateTable("gone " + Dollar, t => t.WithColumn(Quote).AsInt64().PrimaryKey());
        }
    }

    [Change(13, "drop table", AppVersion = "2.2.0")]
    public sealed class C13DropTable : Change
    {
        public C13DropTable() => DropTable("gone " + Dollar);
    }
}
