using Migrator.Analyzers.Sql;
using Migrator.Compatibility;
using Migrator.Dialects.SqlServer;

namespace Migrator.Tests.Dialects;

/// <summary>
/// T-SQL usage read with Microsoft's ScriptDom parser. No SQL Server was used: SQL Server cannot run on
/// these machines, so these tests check the parse and the tables and columns found, not execution.
/// </summary>
public class TSqlUsageAnalyzerTests
{
    private static string[] Columns(SqlAnalysis analysis) =>
        [.. analysis.Columns.Select(c => $"{(c.Access == ColumnAccess.Write ? "w" : "r")}:{c.Table}.{c.Column}").Order()];

    [Test]
    public void Select_with_join_aliases_top_and_brackets()
    {
        var analysis = TSqlUsageAnalyzer.Analyze(
            "SELECT TOP (10) o.[Id], c.[Name] FROM dbo.[Orders] AS o WITH (NOLOCK) INNER JOIN dbo.Customers c ON c.Id = o.CustomerId WHERE o.PlacedAt >= @since ORDER BY o.PlacedAt DESC",
            null);
        Assert.That(analysis.HasErrors, Is.False, string.Join("; ", analysis.Errors));
        Assert.That(analysis.Kind, Is.EqualTo(StatementKind.Select));
        Assert.That(analysis.Tables.Select(t => t.ToString()), Is.EquivalentTo(new[] { "dbo.Orders", "dbo.Customers" }));
        Assert.That(Columns(analysis), Is.EqualTo(new[] { "r:Customers.Id", "r:Customers.Name", "r:Orders.CustomerId", "r:Orders.Id", "r:Orders.PlacedAt" }));
        Assert.That(analysis.Parameters, Is.EqualTo(new[] { "since" }));
    }

    [Test]
    public void Insert_update_with_output_and_delete_with_join()
    {
        var insert = TSqlUsageAnalyzer.Analyze("INSERT INTO dbo.Customers (Name, Email) OUTPUT inserted.Id VALUES (@name, @email)", null);
        Assert.That(insert.Kind, Is.EqualTo(StatementKind.Insert));
        Assert.That(insert.Tables.Single().Written, Is.True);
        Assert.That(Columns(insert).Where(c => c.StartsWith('w')), Is.EqualTo(new[] { "w:Customers.Email", "w:Customers.Name" }));

        var update = TSqlUsageAnalyzer.Analyze("UPDATE o SET o.Status = 'shipped' FROM dbo.Orders o JOIN dbo.Shipments s ON s.OrderId = o.Id WHERE s.ShippedAt IS NOT NULL", null);
        Assert.That(update.Kind, Is.EqualTo(StatementKind.Update));
        Assert.That(Columns(update), Does.Contain("w:Orders.Status").And.Contain("r:Shipments.ShippedAt"));
        Assert.That(update.Tables.Single(t => t.Name == "Orders").Written, Is.True);

        var delete = TSqlUsageAnalyzer.Analyze("DELETE FROM dbo.Sessions WHERE ExpiresAt < SYSUTCDATETIME()", null);
        Assert.That(delete.Kind, Is.EqualTo(StatementKind.Delete));
        Assert.That(Columns(delete), Is.EqualTo(new[] { "r:Sessions.ExpiresAt" }));
    }

    [Test]
    public void Ctes_and_select_star_and_unparseable_sql()
    {
        var cte = TSqlUsageAnalyzer.Analyze("WITH recent AS (SELECT Id FROM dbo.Orders WHERE PlacedAt > @d) SELECT * FROM recent", null);
        Assert.That(cte.Tables.Select(t => t.Name), Is.EqualTo(new[] { "Orders" }), "the CTE is not a table");

        var star = TSqlUsageAnalyzer.Analyze("SELECT * FROM dbo.Orders WHERE Id = @id", null);
        Assert.That(star.StarTables.Single().Name, Is.EqualTo("Orders"));

        var broken = TSqlUsageAnalyzer.Analyze("SELEC Id FROM dbo.Orders", null);
        Assert.That(broken.HasErrors, Is.True);
        Assert.That(broken.Errors[0], Does.StartWith("line 1"));
    }

    [Test]
    public void Usage_extract_with_the_sqlserver_dialect_uses_scriptdom()
    {
        string project = Path.Combine(Path.GetTempPath(), "migrator-tsql-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(project);
        try
        {
            File.WriteAllText(Path.Combine(project, "Repo.cs"), """
                using System.Data;
                using Dapper;
                public sealed class Repo(IDbConnection db)
                {
                    public int Touch(long id) => db.Execute("UPDATE dbo.Orders SET [UpdatedAt] = SYSUTCDATETIME() WHERE Id = @id", new { id });
                }
                """);
            var manifest = UsageExtractor.Extract(project, "1.0.0", "sqlserver");
            var statement = manifest.Statements.Single();
            Assert.That(manifest.Dialect, Is.EqualTo("sqlserver"));
            Assert.That(statement.Writes.Select(c => $"{c.Schema}.{c.Table}.{c.Column}"), Is.EqualTo(new[] { "dbo.Orders.UpdatedAt" }));
            Assert.That(statement.Errors, Is.Empty);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
