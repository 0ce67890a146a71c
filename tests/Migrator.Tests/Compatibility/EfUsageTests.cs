using System.Text.RegularExpressions;
using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Compatibility;
using Migrator.Tests.Infrastructure;
using Semver;

namespace Migrator.Tests.Compatibility;

/// <summary>
/// `usage extract` on EF Core apps (Compatibility/EfApps: snapshots and migrations written by
/// `dotnet ef migrations add`, not by hand). The tables and columns read from the model snapshot are
/// checked against the CREATE TABLEs EF itself wrote for the same model, so the oracle is EF, not this
/// test: owned types, TPH, TPT, a shadow property, [Column] and a naming convention.
/// </summary>
public sealed partial class EfUsageTests
{
    private static string App(string name) => Path.Combine(CliRunner.RepoRoot, "tests", "Migrator.Tests", "Compatibility", "EfApps", name);

    [TestCase("snake")]
    [TestCase("plain")]
    public void Every_table_and_column_EF_creates_is_what_the_manifest_says_the_app_reads_and_writes(string app)
    {
        var manifest = UsageExtractor.Extract(App(app), "1.0.0");
        var model = manifest.Statements.Where(s => s.Method.StartsWith("EF Core model: ", StringComparison.Ordinal)).ToList();
        var created = CreatedTables(File.ReadAllText(Directory.GetFiles(Path.Combine(App(app), "Migrations"), "*_Initial.cs").Single()));
        Assert.That(created, Has.Count.EqualTo(6), "EF's own migration creates six tables");

        foreach (var (table, columns) in created)
        {
            var read = model.Where(s => s.Kind == "select" && s.Tables.Any(t => $"{t.Schema}.{t.Name}" == table))
                .SelectMany(s => s.Reads.Select(r => r.Column)).ToHashSet();
            Assert.That(read, Is.EquivalentTo(columns.Keys), $"{app}: columns read from {table}");
            var written = model.Where(s => s.Kind == "insert" && s.Tables.Any(t => $"{t.Schema}.{t.Name}" == table))
                .SelectMany(s => s.Writes.Select(w => w.Column)).ToHashSet();
            Assert.That(written, Is.EquivalentTo(columns.Keys), $"{app}: columns written to {table}");

            // A column the model maps as nullable is one EF created nullable (TPH's derived columns
            // and owned types aside, which EF makes nullable in the shared table).
            foreach (var mapped in model.Where(s => s.Kind == "select" && s.Tables.Any(t => $"{t.Schema}.{t.Name}" == table)).SelectMany(s => s.ResultColumns))
            {
                if (mapped.Nullable)
                {
                    Assert.That(columns[mapped.Name], Is.True, $"{app}: {table}.{mapped.Name} is mapped nullable, so EF created it nullable");
                }
            }
        }

        Assert.That(model.Select(s => s.File).Distinct(), Is.EqualTo(new[] { "Migrations/ShopContextModelSnapshot.cs" }));
        Assert.That(model.Where(s => s.Kind == "select").Select(s => s.ResultType), Does.Contain("EfShop.CardPayment").And.Contain("EfShop.DigitalProduct").And.Not.Contain("EfShop.Customer.ShippingAddress"),
            "one statement per entity; an owned type in its owner's table goes with its owner");
        var customerInsert = model.Single(s => s.Kind == "insert" && s.Method == "EF Core model: EfShop.Customer");
        Assert.That(customerInsert.Writes.Select(w => w.Column), Has.Some.Contains("ity").IgnoreCase.And.Some.Contains("treet").IgnoreCase,
            "the owner's INSERT writes its owned type's columns (ShippingAddress City and Street)");
    }

    [Test]
    public void Raw_sql_of_FromSql_and_ExecuteSql_is_read_and_sql_built_at_run_time_is_unresolved()
    {
        var manifest = UsageExtractor.Extract(App("snake"), "1.0.0");
        var fromSql = manifest.Statements.Single(s => s.Method == "EF Core FromSql");
        Assert.That(fromSql.Reads.Select(r => r.Column), Does.Contain("last_seen_at"));
        Assert.That(fromSql.Errors, Is.Empty);
        var raw = manifest.Statements.Single(s => s.Method == "EF Core ExecuteSqlRawAsync");
        Assert.That(raw.Sql, Does.Contain("WHERE id = @p0"), "string.Format placeholders are parameters");
        Assert.That(raw.Writes.Select(w => w.Column), Is.EqualTo(new[] { "display_name" }));
        Assert.That(manifest.Unresolved.Select(u => (u.File, u.Method)), Is.EqualTo(new[] { ("Queries.cs", "EF Core ExecuteSqlRawAsync") }));
    }

    /// <summary>The checker knows an EF version maps every column: one the schema lacks (a contract
    /// dropped it while that version is live) is an error naming the entity and the snapshot's line.</summary>
    [Test]
    public void A_mapped_column_the_schema_lacks_is_an_error_for_the_live_EF_version()
    {
        var manifest = UsageExtractor.Extract(App("snake"), "1.0.0");
        var schema = new VisibleSchema();
        foreach (var effect in PgDdlAnalyzer.Analyze("""
            CREATE TABLE shop.customers (id bigint PRIMARY KEY, email text NOT NULL, last_seen_at timestamptz NOT NULL,
                shipping_address_city text, shipping_address_street text NOT NULL);
            """))
        {
            schema.Apply(effect);
        }

        var findings = CompatibilityChecker.CheckNow(schema, [new AppVersionUsage(SemVersion.Parse("1.0.0"), manifest)])
            .Where(f => f.RuleId == RuleIds.MissingObject && f.Message.Contains("customers.display_name", StringComparison.Ordinal)).ToList();
        Assert.That(findings, Is.Not.Empty);
        Assert.That(findings.Select(f => f.Severity), Is.All.EqualTo(Severity.Error));
        Assert.That(findings.Select(f => f.Location), Has.Some.Match(@"^Migrations/ShopContextModelSnapshot\.cs:\d+$"));
    }

    /// <summary>Table → column → nullable, from EF's own CreateTable calls.</summary>
    private static Dictionary<string, Dictionary<string, bool>> CreatedTables(string migration)
    {
        var tables = new Dictionary<string, Dictionary<string, bool>>();
        foreach (Match table in CreateTable().Matches(migration))
        {
            var columns = new Dictionary<string, bool>();
            foreach (Match column in ColumnCall().Matches(table.Groups["columns"].Value))
            {
                var named = Regex.Match(column.Groups["args"].Value, "name: \"(?<n>[^\"]+)\"");
                columns[named.Success ? named.Groups["n"].Value : column.Groups["id"].Value] = column.Groups["args"].Value.Contains("nullable: true", StringComparison.Ordinal);
            }

            tables[$"{table.Groups["schema"].Value}.{table.Groups["name"].Value}"] = columns;
        }

        return tables;
    }

    [GeneratedRegex("""CreateTable\(\s*name: "(?<name>[^"]+)",\s*schema: "(?<schema>[^"]+)",\s*columns: table => new\s*\{(?<columns>.*?)\},\s*constraints:""", RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"(?<id>\w+) = table\.Column<[^>]+>\((?<args>[^)]*)\)")]
    private static partial Regex ColumnCall();
}
