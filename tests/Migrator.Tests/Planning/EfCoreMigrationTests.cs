using Microsoft.EntityFrameworkCore.Migrations;
using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;

namespace Migrator.Tests.Planning;

/// <summary>
/// EF Core migrations as authoring: what `dotnet ef migrations add` writes becomes phased changes. The
/// migrations below are written as EF Core's scaffolder writes them (Npgsql provider).
/// </summary>
public sealed class EfCoreMigrationTests
{
    [Test]
    public void A_migration_is_a_change_with_the_id_name_and_version_it_carries()
    {
        var changes = ChangeCatalog.FromTypes([typeof(Initial), typeof(RenameEmail)], "ef");

        Assert.That(changes.Select(c => (c.Id, c.Description, c.AppVersion.ToString(), c.Name)), Is.EqualTo(new[]
        {
            (20261201090000L, "Initial", "1.0.0", nameof(Initial)),
            (20261202090000L, "RenameEmail", "2.0.0", nameof(RenameEmail)),
        }));
    }

    [Test]
    public void New_tables_with_their_keys_and_indexes_are_plain_ddl_in_expand()
    {
        var plan = Compile(typeof(Initial))[0];
        string expand = plan.Sql(Phase.Expand);

        Assert.Multiple(() =>
        {
            Assert.That(expand, Does.Contain("CREATE TABLE \"public\".\"Customers\""));
            Assert.That(expand, Does.Contain("\"Email\" character varying(200) NOT NULL"));
            Assert.That(expand, Does.Contain("CONSTRAINT \"PK_Customers\" PRIMARY KEY (\"Id\")"));
            Assert.That(expand, Does.Contain("FOREIGN KEY (\"CustomerId\") REFERENCES \"public\".\"Customers\" (\"Id\") ON DELETE CASCADE"));
            Assert.That(expand, Does.Contain("CREATE INDEX \"IX_Orders_CustomerId\" ON \"public\".\"Orders\" (\"CustomerId\" ASC)"));
            Assert.That(plan.Contract, Is.Empty, "a new table has nothing to contract");
            Assert.That(plan.RollbackUnavailable, Is.Null);
            Assert.That(plan.Sql(Phase.Rollback), Does.Contain("DROP TABLE IF EXISTS \"public\".\"Customers\""));
        });
    }

    [Test]
    public void Raw_SQL_after_a_new_table_runs_after_it()
    {
        var plan = Compile(typeof(Statuses))[0];
        string expand = plan.Sql(Phase.Expand);

        Assert.That(plan.Operations[0], Does.StartWith("create table public.Statuses"));
        Assert.That(expand.IndexOf("CREATE TABLE \"public\".\"Statuses\"", StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0)
            .And.LessThan(expand.IndexOf("INSERT INTO \"Statuses\"", StringComparison.Ordinal)), expand);
        Assert.That(expand.IndexOf("INSERT INTO \"Statuses\"", StringComparison.Ordinal), Is.LessThan(expand.IndexOf("CREATE UNIQUE INDEX", StringComparison.Ordinal)), "the new table's index comes last");
    }

    [Test]
    public void Operations_on_existing_tables_become_phased_operations()
    {
        var plans = Compile(typeof(Initial), typeof(RenameEmail));
        var rename = plans[1];

        Assert.Multiple(() =>
        {
            Assert.That(rename.Operations, Is.EqualTo(new[]
            {
                "rename column public.Customers.Email to ContactEmail",
                "add column public.Orders.Note text",
                "change type of public.Orders.Total to numeric(12,2)",
                "set default of public.Customers.Name to ''",
                "set NOT NULL on public.Customers.Name",
                "create index IX_Orders_PlacedAt on public.Orders (PlacedAt)",
                "add foreign key FK_Orders_Customers_ReferredBy on public.Orders (ReferredBy) → public.Customers (Id)",
            }));
            Assert.That(rename.Sql(Phase.Expand), Does.Contain("CREATE INDEX CONCURRENTLY"));
            Assert.That(rename.Sql(Phase.Expand), Does.Contain("NOT VALID"));
            Assert.That(rename.HasBackfill, Is.True, "the rename and the type change copy rows");
            Assert.That(rename.Sql(Phase.Contract), Does.Contain("DROP COLUMN"), "the old column goes at contract");
        });
    }

    [Test]
    public void An_operation_with_no_safe_phased_form_is_refused_by_name()
    {
        var e = Assert.Throws<MigratorException>(() => ChangeCatalog.FromTypes([typeof(Initial), typeof(ReKey)], "ef"));

        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.StartWith("EF Core migration ReKey: DropPrimaryKey on public.Orders has no safe phased form"));
    }

    [Test]
    public void A_key_from_an_existing_table_to_a_new_one_is_refused()
    {
        var e = Assert.Throws<MigratorException>(() => ChangeCatalog.FromTypes([typeof(Initial), typeof(Coupons)], "ef"));

        Assert.That(e!.Message, Does.StartWith("EF Core migration Coupons: AddForeignKey on public.Orders has no safe phased form: foreign key FK_Orders_Coupons"));
    }

    [Test]
    public void Extensions_the_model_declares_are_refused_with_what_to_write_instead()
    {
        var e = Assert.Throws<MigratorException>(() => ChangeCatalog.FromTypes([typeof(Citext)], "ef"));

        Assert.That(e!.Message, Does.StartWith("EF Core migration Citext: AlterDatabase has no safe phased form").And.Contain("migrationBuilder.Sql"));
    }

    [Test]
    public void A_migration_whose_Up_throws_is_one_error()
    {
        var e = Assert.Throws<MigratorException>(() => ChangeCatalog.FromTypes([typeof(Throwing)], "ef"));

        Assert.That(e!.Message, Is.EqualTo("EF Core migration 20261206090000_Throwing: cannot read its Up operations (no connection here)"));
    }

    [Test]
    public void A_migration_without_an_app_version_is_refused()
    {
        var e = Assert.Throws<MigratorException>(() => ChangeCatalog.FromTypes([typeof(NoVersion)], "ef"));

        Assert.That(e!.Message, Does.Contain("EF Core migration 20261203090000_NoVersion").And.Contain("[AppVersion(\"x.y.z\")]"));
    }

    [Test]
    public void The_app_version_can_come_from_config_by_name_or_id()
    {
        var byName = ChangeCatalog.FromTypes([typeof(NoVersion)], "ef", efCoreVersions: new Dictionary<string, string> { ["NoVersion"] = "2.1.0" });
        var byId = ChangeCatalog.FromTypes([typeof(NoVersion)], "ef", efCoreVersions: new Dictionary<string, string> { ["20261203090000_NoVersion"] = "2.2.0" });

        Assert.That((byName.Single().AppVersion.ToString(), byId.Single().AppVersion.ToString()), Is.EqualTo(("2.1.0", "2.2.0")));
        Assert.That(() => ChangeCatalog.FromTypes([typeof(Initial)], "ef", efCoreVersions: new Dictionary<string, string> { ["Initial"] = "1.0.0" }),
            Throws.TypeOf<MigratorException>().With.Message.EqualTo("EF Core migration 20261201090000_Initial has [AppVersion] and an entry in efCoreAppVersions: keep one"));
        Assert.That(() => ChangeCatalog.FromTypes([typeof(Initial)], "ef", efCoreVersions: new Dictionary<string, string> { ["Initail"] = "1.0.0" }),
            Throws.TypeOf<MigratorException>().With.Message.EqualTo("efCoreAppVersions names Initail, which is not an EF Core migration of ef"));
    }

    [Test]
    public async Task EF_migrations_on_SQL_Server_are_refused()
    {
        var result = await Infrastructure.CliRunner.RunAsync("plan", "--config", Path.Combine(Infrastructure.CliRunner.RepoRoot, "sample-schemas", "ef-shop", "migrator.json"),
            "--migrations", typeof(EfShop.V2.ShopContext).Assembly.Location, "--provider", "sqlserver");

        Assert.That((result.ExitCode, result.Error.Trim()), Is.EqualTo((ExitCodes.BadInput,
            "error: EF Core migration 20261204022026 (Initial): EF Core migrations run on PostgreSQL only so far, not sqlserver (docs/efcore.md)")));
    }

    [TestCase("RenameEmail", "error: --ef-app-version expects MIGRATION=VERSION (e.g. RenameEmail=2.0.0), got 'RenameEmail'")]
    [TestCase("RenameEmail=2.0.0", "error: EF Core migration 20261204022036_RenameEmail has [AppVersion] and an entry in efCoreAppVersions: keep one")]
    public async Task A_bad_version_flag_is_one_error_line(string flag, string error)
    {
        var result = await Infrastructure.CliRunner.RunAsync("plan", "--config", Path.Combine(Infrastructure.CliRunner.RepoRoot, "sample-schemas", "ef-shop", "migrator.json"),
            "--migrations", typeof(EfShop.V2.ShopContext).Assembly.Location, "--ef-app-version", flag);

        Assert.That((result.ExitCode, result.Error.Trim()), Is.EqualTo((ExitCodes.BadInput, error)));
    }

    [Test]
    public void Hostile_default_values_are_literals()
    {
        var plans = Compile(typeof(Initial), typeof(HostileDefault));

        Assert.That(plans[1].Sql(Phase.Expand), Does.Contain("DEFAULT 'x''; DROP TABLE \"Customers\"; --'"));
    }

    private static IReadOnlyList<ChangePlan> Compile(params Type[] migrations) =>
        new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes(migrations, "ef"), new SchemaModel());

    [Migration("20261201090000_Initial")]
    [AppVersion("1.0.0")]
    public sealed class Initial : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Customers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", "IdentityByDefaultColumn"),
                    Name = table.Column<string>(type: "text", nullable: true),
                    Email = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_Customers", x => x.Id));

            migrationBuilder.CreateTable(
                name: "Orders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", "IdentityByDefaultColumn"),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    ReferredBy = table.Column<long>(type: "bigint", nullable: true),
                    Total = table.Column<decimal>(type: "numeric(10,2)", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Orders", x => x.Id);
                    table.ForeignKey("FK_Orders_Customers_CustomerId", x => x.CustomerId, "Customers", "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(name: "IX_Orders_CustomerId", table: "Orders", column: "CustomerId");
        }
    }

    [Migration("20261202090000_RenameEmail")]
    [AppVersion("2.0.0")]
    public sealed class RenameEmail : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(name: "Email", table: "Customers", newName: "ContactEmail");
            migrationBuilder.AddColumn<string>(name: "Note", table: "Orders", type: "text", nullable: true);
            migrationBuilder.AlterColumn<decimal>(name: "Total", table: "Orders", type: "numeric(12,2)", nullable: false,
                oldClrType: typeof(decimal), oldType: "numeric(10,2)");
            migrationBuilder.AlterColumn<string>(name: "Name", table: "Customers", type: "text", nullable: false, defaultValue: "",
                oldClrType: typeof(string), oldType: "text", oldNullable: true);
            migrationBuilder.CreateIndex(name: "IX_Orders_PlacedAt", table: "Orders", column: "PlacedAt");
            migrationBuilder.AddForeignKey(name: "FK_Orders_Customers_ReferredBy", table: "Orders", column: "ReferredBy",
                principalTable: "Customers", principalColumn: "Id");
        }
    }

    [Migration("20261203090000_ReKey")]
    [AppVersion("2.0.0")]
    public sealed class ReKey : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(name: "PK_Orders", table: "Orders");
        }
    }

    [Migration("20261203100000_Coupons")]
    [AppVersion("2.0.0")]
    public sealed class Coupons : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Coupons",
                columns: table => new { Id = table.Column<long>(type: "bigint", nullable: false) },
                constraints: table => table.PrimaryKey("PK_Coupons", x => x.Id));
            migrationBuilder.AddColumn<long>(name: "CouponId", table: "Orders", type: "bigint", nullable: true);
            migrationBuilder.AddForeignKey(name: "FK_Orders_Coupons", table: "Orders", column: "CouponId", principalTable: "Coupons", principalColumn: "Id");
        }
    }

    [Migration("20261206090000_Throwing")]
    [AppVersion("2.0.0")]
    public sealed class Throwing : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => throw new NullReferenceException("no connection here");
    }

    [Migration("20261207090000_Citext")]
    [AppVersion("2.0.0")]
    public sealed class Citext : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AlterDatabase().Annotation("Npgsql:PostgresExtension:citext", ",,");
    }

    [Migration("20261208090000_Statuses")]
    [AppVersion("1.0.0")]
    public sealed class Statuses : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Statuses",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_Statuses", x => x.Id));
            migrationBuilder.Sql("INSERT INTO \"Statuses\" (\"Id\", \"Name\") VALUES (1, 'open'), (2, 'closed')");
            migrationBuilder.CreateIndex(name: "IX_Statuses_Name", table: "Statuses", column: "Name", unique: true);
        }
    }

    [Migration("20261203090000_NoVersion")]
    public sealed class NoVersion : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "Note", table: "Orders", type: "text", nullable: true);
    }

    [Migration("20261204090000_HostileDefault")]
    [AppVersion("2.0.0")]
    public sealed class HostileDefault : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "Tag", table: "Customers", type: "text", nullable: false, defaultValue: "x'; DROP TABLE \"Customers\"; --");
    }
}

/// <summary>The checker on an EF Core app: EF reads and writes every column it maps, so removing one
/// that a live version's model maps is an error that points at the property in its model snapshot.</summary>
public sealed class EfCoreCheckerTests
{
    [Test]
    public void Dropping_a_column_the_live_model_maps_is_an_error_at_the_property()
    {
        string app = Path.Combine(Infrastructure.CliRunner.RepoRoot, "sample-schemas", "ef-shop", "EfShop.App.V2");
        var manifest = Migrator.Compatibility.UsageExtractor.Extract(app, "2.0.0");
        var changes = ChangeCatalog.FromTypes([typeof(EfShop.V2.Migrations.Initial), typeof(EfShop.V2.Migrations.RenameEmail), typeof(DropName)], "ef");
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(changes, new SchemaModel());

        var errors = Migrator.Compatibility.CompatibilityChecker.Check(plans, null, [new(Semver.SemVersion.Parse("2.0.0"), manifest)])
            .Where(f => f.Severity == Migrator.Compatibility.Severity.Error).ToList();

        string snapshot = File.ReadAllText(Path.Combine(app, "Migrations", "ShopContextModelSnapshot.cs"));
        int line = 1 + snapshot[..snapshot.IndexOf("b.Property<string>(\"Name\")", StringComparison.Ordinal)].Count(c => c == '\n');
        Assert.That(errors.Select(e => (e.ChangeId, e.Phase, e.Location)).Distinct(), Is.EqualTo(new[] { ((long?)20261205000000, "contract", $"Migrations/ShopContextModelSnapshot.cs:{line}") }));
        Assert.That(errors[0].Message, Does.Contain("column Customers.Name, which will no longer exist").And.EndWith("(EF Core property EfShop.V2.Customer.Name)"));
    }

    [Migration("20261205000000_DropName")]
    [AppVersion("2.0.0")]
    public sealed class DropName : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "Name", table: "Customers");

        // As EF scaffolds it: the required column comes back with a default, which is also what the
        // old version reads in rows the new version inserts while both are live.
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "Name", table: "Customers", type: "text", nullable: false, defaultValue: "");
    }
}
