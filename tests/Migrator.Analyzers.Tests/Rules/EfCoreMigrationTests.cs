using static Migrator.Analyzers.Tests.Verifier;

namespace Migrator.Analyzers.Tests.Rules;

/// <summary>The migration rules on EF Core migrations (MigrationBuilder, as `dotnet ef migrations add`
/// writes them), under the same ids as on FluentMigrator; Down is a rollback and is not judged.</summary>
public sealed class EfCoreMigrationTests
{
    private const string Header = """
        using System;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Shop.Migrations;

        """;

    [Test]
    public Task Renames_drops_type_changes_and_blocking_index_builds_in_Up_are_flagged() => AnalyzeAsync<RenameInMigrationAnalyzer>(Header + """
        public partial class RenameEmail : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {|MIG0004:migrationBuilder.RenameColumn(
                    name: "Email",
                    schema: "shop",
                    table: "Customers",
                    newName: "EmailAddress")|};
                {|MIG0005:migrationBuilder.RenameTable(name: "Orders", schema: "shop", newName: "Purchases", newSchema: "shop")|};
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
                migrationBuilder.RenameColumn(name: "EmailAddress", schema: "shop", table: "Customers", newName: "Email");
            }
        }
        """);

    [Test]
    public Task Drops_and_type_changes_are_flagged_and_a_nullability_change_is_not() => AnalyzeAsync<DestructiveInMigrationAnalyzer>(Header + """
        public partial class Retire : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {|MIG0041:migrationBuilder.DropColumn(name: "LegacyCode", schema: "shop", table: "Customers")|};
                {|MIG0041:migrationBuilder.DropTable(name: "Coupons", schema: "shop")|};
                {|MIG0007:migrationBuilder.AlterColumn<long>(
                    name: "Quantity",
                    schema: "shop",
                    table: "order_items",
                    type: "bigint",
                    nullable: false,
                    oldClrType: typeof(int),
                    oldType: "integer")|};
                migrationBuilder.AlterColumn<string>(
                    name: "Name",
                    schema: "shop",
                    table: "Customers",
                    type: "text",
                    nullable: true,
                    oldClrType: typeof(string),
                    oldType: "text");
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
                migrationBuilder.DropTable(name: "Coupons", schema: "shop");
            }
        }
        """);

    [Test]
    public Task An_index_is_flagged_unless_built_concurrently_or_on_a_table_the_migration_creates() => AnalyzeAsync<BlockingIndexAnalyzer>(Header + """
        public partial class Indexes : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {|MIG0021:migrationBuilder.CreateIndex(name: "IX_Orders_PlacedAt", schema: "shop", table: "Orders", column: "PlacedAt")|};
                migrationBuilder.CreateIndex(name: "IX_Orders_Status", schema: "shop", table: "Orders", column: "Status")
                    .Annotation("Npgsql:CreatedConcurrently", true);
                migrationBuilder.CreateTable(
                    name: "Coupons",
                    schema: "shop",
                    columns: table => new { Id = table.Column<long>(type: "bigint", nullable: false) },
                    constraints: table => table.PrimaryKey("PK_Coupons", x => x.Id));
                migrationBuilder.CreateIndex(name: "IX_Coupons_Id", schema: "shop", table: "Coupons", column: "Id");
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
            }
        }
        """);

    [Test]
    public Task A_class_that_is_not_an_EF_migration_is_not_judged() => AnalyzeAsync<RenameInMigrationAnalyzer>(Header + """
        public sealed class Helper
        {
            public void Up(MigrationBuilder migrationBuilder) =>
                migrationBuilder.RenameColumn(name: "A", table: "T", newName: "B");
        }
        """);

    [Test]
    public Task The_index_fix_adds_the_concurrent_annotation() => FixAsync<BlockingIndexAnalyzer, Migrator.Analyzers.CodeFixes.EfConcurrentIndexCodeFix>(Header + """
        public partial class Indexes : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {|MIG0021:migrationBuilder.CreateIndex(
                    name: "IX_Orders_PlacedAt",
                    table: "Orders",
                    column: "PlacedAt")|};
            }
        }
        """, Header + """
        public partial class Indexes : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                migrationBuilder.CreateIndex(
                    name: "IX_Orders_PlacedAt",
                    table: "Orders",
                    column: "PlacedAt").Annotation("Npgsql:CreatedConcurrently", true);
            }
        }
        """);

    [Test]
    public Task The_fluent_migrator_index_fix_leaves_an_EF_call_alone() => FixAsync<BlockingIndexAnalyzer, Migrator.Analyzers.CodeFixes.ConcurrentIndexCodeFix>(Header + """
        public partial class Indexes : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {|MIG0021:migrationBuilder.CreateIndex(name: "IX_Orders_PlacedAt", table: "Orders", column: "PlacedAt")|};
            }
        }
        """, Header + """
        public partial class Indexes : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                {|MIG0021:migrationBuilder.CreateIndex(name: "IX_Orders_PlacedAt", table: "Orders", column: "PlacedAt")|};
            }
        }
        """);

    [Test]
    public Task A_migration_Migrator_runs_in_phases_is_not_flagged() => AnalyzeWithOtherFileAsync<RenameInMigrationAnalyzer>(Header + """
        [Migrator.Authoring.AppVersion("2.0.0")]
        public partial class RenameEmail : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder) =>
                migrationBuilder.RenameColumn(name: "Email", table: "Customers", newName: "ContactEmail");
        }

        public partial class RenamePhone : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder) =>
                {|MIG0004:migrationBuilder.RenameColumn(name: "Phone", table: "Customers", newName: "PhoneNumber")|};
        }
        """, """
        namespace Migrator.Authoring;

        [System.AttributeUsage(System.AttributeTargets.Class)]
        public sealed class AppVersionAttribute(string appVersion) : System.Attribute
        {
            public string AppVersion { get; } = appVersion;
        }
        """);
}
