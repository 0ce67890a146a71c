using System.Text.Json;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Dialects;

/// <summary>`plan` with <c>provider: sqlserver</c>, offline. NO SQL SERVER WAS USED: the plan of a real
/// migrations project (built here with `dotnet build`) is generated, and every statement in it parses
/// with ScriptDom.</summary>
public sealed class SqlServerPlanTests
{
    private ScratchMigrationsProject _scratch = null!;

    private string Project => _scratch.Project;

    [OneTimeSetUp]
    public void CreateProject()
    {
        _scratch = new ScratchMigrationsProject("Tsql");
        _scratch.Write("Changes.cs", """
            using Migrator.Authoring;

            [Change(202612030001, "Create the catalog", AppVersion = "1.0.0")]
            public sealed class C1 : Change
            {
                protected override void Expand()
                {
                    Create.Table("products").InSchema("dbo")
                        .WithColumn("id").AsInt64().PrimaryKey().Identity()
                        .WithColumn("sku").AsString(40).NotNullable()
                        .WithColumn("title").AsString(200).Nullable();
                    Create.Index("ix_products_sku").OnTable("products").InSchema("dbo").OnColumn("sku").Ascending();
                }
            }

            [Change(202612030002, "Add a price", AppVersion = "1.1.0")]
            public sealed class C2 : Change
            {
                protected override void Expand() =>
                    Alter.Table("products").InSchema("dbo").AddColumn("price_cents").AsInt32().Nullable();
            }

            [Change(202612030003, "Retire the title, default the price", AppVersion = "2.0.0")]
            public sealed class C3 : Change
            {
                protected override void Expand()
                {
                    SetDefault("products", "price_cents", "0", schema: "dbo");
                    DropColumn("products", "title", schema: "dbo");
                    DropIndex("products", "ix_products_sku", schema: "dbo");
                    CreateIndex("products", "ix_products_price", ["price_cents", "id"], schema: "dbo");
                    Sql(Phase.Expand, "UPDATE [dbo].[products] SET [price_cents] = 0 WHERE [price_cents] IS NULL;", touches: ["products.price_cents"], schema: "dbo");
                }
            }

            [Change(202612030004, "Rename products to catalog_items", AppVersion = "3.0.0")]
            public sealed class C4 : Change
            {
                protected override void Expand() => RenameTable("products", "catalog_items", schema: "dbo");
            }

            [Change(202612030005, "Rename sku, widen the price, require a currency", AppVersion = "4.0.0")]
            public sealed class C5 : Change
            {
                protected override void Expand()
                {
                    RenameColumn("catalog_items", "sku", "stock_code", schema: "dbo");
                    ChangeColumnType("catalog_items", "price_cents", "bigint", schema: "dbo");
                    AddColumn("catalog_items", "currency", "nchar(3)", nullable: false, fill: "N'EUR'", schema: "dbo");
                    AddCheck("catalog_items", "ck_price", "[price_cents] >= 0", schema: "dbo");
                }
            }
            """);
    }

    [OneTimeTearDown]
    public void DeleteProject() => _scratch.Dispose();

    [Test]
    public async Task Plan_on_sqlserver_writes_tsql_that_parses()
    {
        var result = await CliRunner.RunAsync("plan", "--migrations", Project, "--provider", "sqlserver", "--format", "json");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var statements = json.RootElement.GetProperty("changes").EnumerateArray()
            .SelectMany(c => new[] { "expand", "contract", "rollback" }.Select(p => c.GetProperty(p)).Where(p => p.ValueKind == JsonValueKind.Array).SelectMany(p => p.EnumerateArray()))
            .SelectMany(step => step.GetProperty("sql").EnumerateArray().Select(s => s.GetString()!))
            .ToList();
        Assert.That(statements, Has.Some.Contains("CREATE TABLE [dbo].[products]"));
        Assert.That(statements, Has.Some.Contains("ALTER TABLE [dbo].[products] ADD [price_cents] INT"));
        Assert.That(statements, Has.Some.Contains("ADD CONSTRAINT [DF_products_price_cents] DEFAULT (0) FOR [price_cents];"), "set default, through the dialect");
        Assert.That(statements, Has.Some.Contains("DROP INDEX IF EXISTS [ix_products_sku] ON [dbo].[products];"), "drop index, through the dialect");
        Assert.That(statements, Has.Some.Contains("DROP COLUMN [title]"), "drop column, through FluentMigrator's generator");
        Assert.That(statements, Has.Some.EqualTo("EXEC sp_rename N'[dbo].[products]', N'catalog_items';"));
        Assert.That(statements, Has.Some.EqualTo("CREATE VIEW [dbo].[products] AS SELECT * FROM [dbo].[catalog_items];"), "the old name stays as a view during the window");
        Assert.That(statements, Has.Some.EqualTo("DROP VIEW IF EXISTS [dbo].[products];"));
        Assert.That(statements, Has.Some.StartsWith("CREATE INDEX [ix_products_price] ON [dbo].[products] ([price_cents], [id]) WITH (ONLINE = ON"), "create index, online");
        Assert.That(statements, Has.Some.StartsWith("CREATE OR ALTER TRIGGER [dbo].[migrator_sync_202612030005_stock_code] ON [dbo].[catalog_items] AFTER INSERT, UPDATE"), "rename column: its sync trigger");
        Assert.That(statements, Has.Some.EqualTo("EXEC sp_rename N'[dbo].[catalog_items].[migrator_new_price_cents]', N'price_cents', N'COLUMN';"), "change type: the new column takes the old one's name");
        Assert.That(statements, Has.Some.StartsWith("CREATE OR ALTER TRIGGER [dbo].[migrator_fill_202612030005_currency]"), "add column with a fill: its fill trigger");
        Assert.That(statements, Has.Some.EqualTo("ALTER TABLE [dbo].[catalog_items] WITH NOCHECK ADD CONSTRAINT [ck_price] CHECK ([price_cents] >= 0);"));
        Assert.That(statements, Has.Some.EqualTo("ALTER TABLE [dbo].[catalog_items] ALTER COLUMN [sku] NVARCHAR(40) NULL /* migrator: filled by a trigger in the same statement during the window */;"),
            "the renamed NOT NULL column is opened for the window, in the type FluentMigrator's SQL Server type map gives it");
        foreach (string sql in statements)
        {
            Assert.That(TSqlTree.Parse(sql, out _).Select(e => e.Message), Is.Empty, sql);
        }

        // The hazard rules read the T-SQL (ScriptDom) and apply SQL Server's rules.
        var findings = json.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("severity")} {f.GetProperty("message").GetString()}").ToList();
        TestContext.Out.WriteLine(string.Join("\n", findings));
        Assert.That(findings, Has.Some.StartsWith("MIG0050 warning expand of change 202612030004: sp_rename of dbo.products to catalog_items"), string.Join("\n", findings));
        Assert.That(findings, Has.Some.StartsWith("MIG0001 info contract of change 202612030003: drops dbo.products.title"), string.Join("\n", findings));
        Assert.That(findings.Where(f => f.StartsWith("MIG0050 info contract of change 202612030005", StringComparison.Ordinal)).Select(f => f.Split(':')[1]),
            Is.EqualTo(new[] { " sp_rename of dbo.catalog_items.sku to stock_code" }), "the rename's net effect only, not the steps of Migrator's own swap");
        Assert.That(findings, Has.None.Contains("MIG0005"), "the old name stays as a view: no MIG0005");
        Assert.That(findings, Has.None.Contains("MIG0021"), "the index is built ONLINE");
    }

    /// <summary>The shop sample's operations name PostgreSQL's default schema (public): on SQL Server
    /// its tables are in dbo, and plan says so in one line instead of writing T-SQL for a schema that
    /// is not there.</summary>
    [Test]
    public async Task An_operation_on_postgres_default_schema_is_refused_on_sqlserver_with_one_clear_line()
    {
        var result = await CliRunner.RunAsync("plan", "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--provider", "sqlserver");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.Trim(), Is.EqualTo("error: change 202611230002 (C0002_RenameCustomerEmail): table public.customers does not exist in the schema (it is dbo.customers: an operation's schema defaults to PostgreSQL's public; pass schema: \"dbo\")"));
    }

    [Test]
    public async Task An_unknown_provider_and_a_connection_on_sqlserver_are_refused()
    {
        var unknown = await CliRunner.RunAsync("plan", "--migrations", Project, "--provider", "oracle");
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Error.Trim(), Is.EqualTo("error: flags: provider must be postgres or sqlserver, not 'oracle'"));

        var connected = await CliRunner.RunAsync("status", "--migrations", Project, "--provider", "sqlserver", "--connection", "Server=localhost;Database=shop");
        Assert.That(connected.ExitCode, Is.EqualTo(2), connected.ToString());
        Assert.That(connected.Error, Does.Contain("provider sqlserver: only `plan` without a connection works so far"));
    }
}
