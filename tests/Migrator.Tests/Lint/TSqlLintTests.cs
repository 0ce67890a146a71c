using Migrator.Analyzers.Sql;
using Migrator.Compatibility.Lint;
using Migrator.Dialects.SqlServer;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Lint;

/// <summary>`lint --provider sqlserver`: T-SQL read with ScriptDom (TSqlDdlReader) and judged with SQL
/// Server's rules. NO SQL SERVER WAS USED: these tests read text only.</summary>
public sealed class TSqlLintTests
{
    private static List<LintFinding> Lint(string sql) =>
        [.. SqlFileLinter.Lint([("V1__tsql.sql", sql)], new LintOptions { Dialect = new SqlServerDialect() })];

    [Test]
    public void The_reader_finds_what_each_statement_does_with_names_quoted_any_way()
    {
        var effects = TSqlDdlReader.Read("""
            CREATE TABLE [we]]ird].[t] ([k] int NOT NULL PRIMARY KEY, [v] nvarchar(10) NULL);
            ALTER TABLE dbo.orders WITH NOCHECK ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES dbo.customers (id);
            ALTER TABLE dbo.orders WITH CHECK CHECK CONSTRAINT fk_c;
            EXEC sp_rename N'[we]]ird].[t.x].[old col]', N'new col', N'COLUMN';
            EXEC sp_rename 'dbo.orders', 'orders_v2';
            SET LOCK_TIMEOUT 500;
            UPDATE dbo.orders SET note = N'x' WHERE id = 1;
            """).ToList();
        Assert.That(effects.Select(e => e.Kind), Is.EqualTo(new[]
        {
            DdlKind.CreateTable, DdlKind.AddConstraint, DdlKind.ValidateConstraint, DdlKind.RenameColumn, DdlKind.RenameTable, DdlKind.SetLockTimeout, DdlKind.Update,
        }));
        Assert.That(effects[0].Schema, Is.EqualTo("we]ird"));
        Assert.That(effects[0].Columns.Select(c => (c.Name, c.Type, c.NotNull)), Is.EqualTo(new[] { ("k", "int", true), ("v", "nvarchar(10)", false) }));
        Assert.That(effects[1].NotValid, Is.True, "WITH NOCHECK is PostgreSQL's NOT VALID");
        Assert.That(effects[1].KeyColumns, Is.EqualTo(new[] { "customer_id" }));
        Assert.That((effects[3].Schema, effects[3].Table, effects[3].Column, effects[3].NewName), Is.EqualTo(("we]ird", "t.x", "old col", "new col")));
        Assert.That((effects[4].Schema, effects[4].Table, effects[4].NewName), Is.EqualTo(("dbo", "orders", "orders_v2")));
        Assert.That(effects.Select(e => e.Offset).Distinct().Count(), Is.EqualTo(7), "each statement at its own offset");
    }

    [Test]
    public void SqlServer_hazards_are_reported_with_their_own_rules()
    {
        var findings = Lint("""
            ALTER TABLE dbo.orders ADD public_id uniqueidentifier NOT NULL CONSTRAINT DF_p DEFAULT NEWID();
            ALTER TABLE dbo.orders ADD priority int NOT NULL CONSTRAINT DF_q DEFAULT 0;
            ALTER TABLE dbo.orders ADD created_at datetime2 NOT NULL CONSTRAINT DF_c DEFAULT SYSUTCDATETIME();
            ALTER TABLE dbo.orders ALTER COLUMN total int NOT NULL;
            EXEC sp_rename N'dbo.orders.note', N'remark', N'COLUMN';
            CREATE INDEX ix_orders_total ON dbo.orders (total) WITH (ONLINE = ON);
            CREATE INDEX ix_orders_note ON dbo.orders (remark);
            """);
        var byLine = findings.Select(f => $"{f.Line} {f.Finding.RuleId} {f.Finding.Severity}").ToList();
        Assert.That(byLine, Is.EquivalentTo(new[]
        {
            "1 MIG0051 Error",
            "2 MIG0052 Warning",
            "3 MIG0052 Warning",
            "4 MIG0053 Warning",
            "4 MIG0053 Error",
            "5 MIG0004 Error",
            "5 MIG0050 Warning",
            "7 MIG0021 Error",
        }), string.Join("\n", findings));
        Assert.That(findings.Single(f => f.Finding.RuleId == "MIG0021").Finding.Message, Does.Contain("ONLINE = ON"));
    }

    [Test]
    public void A_BEGIN_END_block_is_not_a_transaction_and_an_unreadable_file_says_so()
    {
        var block = Lint("""
            IF OBJECT_ID(N'dbo.t', N'U') IS NULL
            BEGIN
                CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY);
            END;
            """);
        Assert.That(block.Select(f => f.Finding.Message), Has.None.Contains("transaction"), "a BEGIN … END block opens no transaction");

        var open = Lint("BEGIN TRANSACTION;\nALTER TABLE dbo.t ADD c int NULL;\n");
        Assert.That(open.Select(f => f.Finding.Message), Has.Some.StartsWith("opens a transaction the file never commits"), "a BEGIN TRANSACTION never committed is reported");

        var broken = Lint("ALTER TABLE dbo.t ADD (;\n");
        Assert.That(broken.Select(f => $"{f.Finding.RuleId} {f.Finding.Message}"), Has.Some.StartsWith("MIG0036 cannot read the T-SQL (unreadable T-SQL: line 1:"));
    }

    [Test]
    public async Task The_lint_command_reads_tsql_with_provider_sqlserver()
    {
        string folder = Path.Combine(Path.GetTempPath(), "migrator-tsql-lint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "V1__guid.sql"), "ALTER TABLE dbo.orders ADD public_id uniqueidentifier NOT NULL DEFAULT NEWID();\n");
            var result = await CliRunner.RunAsync("lint", folder, "--provider", "sqlserver");
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Output, Does.Contain("V1__guid.sql:1:1: error MIG0051: adds dbo.orders.public_id with a default calling newid()"));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
