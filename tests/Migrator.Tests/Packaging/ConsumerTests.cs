using System.Text.RegularExpressions;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Packaging;

/// <summary>
/// The packages as a team consumes them: the three packages packed from a copy of the repository into a
/// temporary feed; a fresh solution in a temporary folder, with its own empty NuGet cache named without a
/// trailing slash, holding a migrations library (FluentMigrator, the Migrator library, the analyzers) and an
/// app (Dapper, the analyzers); built with warnings as errors except the MIG rules it expects; then the tool,
/// installed from the feed, plans the migrations project.
/// </summary>
public sealed partial class ConsumerTests
{
    private const string Migrations = """
        using FluentMigrator;
        using Migrator.Authoring;

        namespace Shop.Migrations;

        [Change(202612030001, "Create the catalog", AppVersion = "1.0.0")]
        public sealed class CreateCatalog : Change
        {
            protected override void Expand() =>
                Create.Table("products")
                    .WithColumn("id").AsInt64().PrimaryKey().Identity()
                    .WithColumn("sku").AsString(40).NotNullable()
                    .WithColumn("legacy_code").AsString(20).Nullable();
        }

        [Change(202612030002, "Retire the legacy code", AppVersion = "2.0.0")]
        public sealed class RetireLegacyCode : Change
        {
            protected override void Expand()
            {
                AddColumn("products", "title", "text");
                Delete.Column("legacy_code").FromTable("products");
            }
        }

        [Migration(202612030003, "Index products by sku")]
        public sealed class IndexSku : Migration
        {
            public override void Up() => Create.Index("ix_products_sku").OnTable("products").OnColumn("sku").Ascending();

            public override void Down() => Delete.Index("ix_products_sku").OnTable("products");
        }
        """;

    private const string App = """
        using Dapper;
        using Npgsql;

        namespace Shop.App;

        public sealed record Product(long Id, string Sku);

        public static class Catalog
        {
            public static Task<IEnumerable<Product>> AllAsync(NpgsqlConnection connection) =>
                connection.QueryAsync<Product>("SELECT id, sku FROM products ORDER BY id");
        }
        """;

    [Test]
    public async Task A_fresh_solution_builds_against_the_packed_packages_and_the_installed_tool_plans_it()
    {
        string work = Path.Combine(Path.GetTempPath(), "migrator-consumer-" + Guid.NewGuid().ToString("N")[..8]);
        string repo = Path.Combine(work, "repo");
        string consumer = Path.Combine(work, "consumer");
        string version = "0.1.0-consumer." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        try
        {
            ScratchRepository.Copy(CliRunner.RepoRoot, repo);
            Directory.CreateDirectory(Path.Combine(consumer, "Shop.Migrations"));
            Directory.CreateDirectory(Path.Combine(consumer, "Shop.App"));
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{Path.Combine(work, "feed")}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(consumer, "Shop.Migrations", "Shop.Migrations.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <WarningsNotAsErrors>MIG0021;MIG0041</WarningsNotAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="FluentMigrator" Version="8.0.1" />
                    <PackageReference Include="Migrator" Version="{version}" />
                    <PackageReference Include="Migrator.Analyzers" Version="{version}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Shop.Migrations", "Changes.cs"), Migrations);
            File.WriteAllText(Path.Combine(consumer, "Shop.App", "Shop.App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Dapper" Version="2.1.86" />
                    <PackageReference Include="Npgsql" Version="10.0.3" />
                    <PackageReference Include="Migrator.Analyzers" Version="{version}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Shop.App", "Catalog.cs"), App);
            File.WriteAllText(Path.Combine(consumer, "consume.sh"), $"""
                set -euo pipefail
                for extra in "" "-p:MigratorLibrary=true"; do
                  dotnet pack '{repo}/src/Migrator' -c Release -o '{work}/feed' -p:Version={version} $extra -nologo -v:q
                done
                dotnet pack '{repo}/src/Migrator.Analyzers' -c Release -o '{work}/feed' -p:Version={version} -nologo -v:q
                dotnet new sln -n Consumer
                dotnet sln Consumer.sln* add Shop.Migrations/Shop.Migrations.csproj Shop.App/Shop.App.csproj
                echo '>>> build'
                dotnet build Consumer.sln* -nologo -clp:NoSummary
                echo '>>> tool'
                dotnet new tool-manifest
                dotnet tool install Migrator.Tool --add-source '{work}/feed' --version {version}
                echo '>>> plan'
                dotnet migrator plan --migrations Shop.Migrations/Shop.Migrations.csproj --no-build && echo 'plan exit 0' || echo "plan exit $?"
                echo '>>> format'
                dotnet format analyzers Shop.Migrations/Shop.Migrations.csproj --diagnostics MIG0041 --severity warn
                cat Shop.Migrations/Changes.cs
                echo '>>> rebuild'
                dotnet build Shop.Migrations/Shop.Migrations.csproj -nologo -clp:NoSummary
                echo '>>> replan'
                dotnet migrator plan --migrations Shop.Migrations/Shop.Migrations.csproj --no-build && echo 'plan exit 0' || echo "plan exit $?"
                """);

            // An empty package cache, named without a trailing slash, as CI caches often are.
            var (code, output) = await ScratchRepository.RunBashAsync(consumer, "consume.sh", new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "packages") });
            TestContext.Out.WriteLine(output);
            Assert.That(code, Is.EqualTo(0), "the consumer script failed; its output is above");

            string build = output[output.IndexOf(">>> build", StringComparison.Ordinal)..output.IndexOf(">>> tool", StringComparison.Ordinal)];
            var warnings = Warning().Matches(build).Select(m => $"{Path.GetFileName(m.Groups["file"].Value)}({m.Groups["line"].Value}): {m.Groups["id"].Value}").Distinct().Order().ToList();
            Assert.That(warnings, Is.EqualTo(new[] { "Changes.cs(22): MIG0041", "Changes.cs(29): MIG0021" }), "exactly the expected MIG diagnostics, and no CS, MSB or NU warning");
            Assert.That(build, Does.Not.Contain("error"));
            Assert.That(build, Does.Contain("https://github.com/migrator/migrator/blob/main/docs/rules/MIG0021.md"), "an absolute help link");

            string plan = output[output.IndexOf(">>> plan", StringComparison.Ordinal)..output.IndexOf(">>> format", StringComparison.Ordinal)];
            Assert.That(plan, Does.Contain("202612030001").And.Contain("202612030002"));
            Assert.That(plan, Does.Contain("MIG0001"), "the drop in expand is reported by the checker too");
            Assert.That(plan, Does.Contain("plan exit 1"));

            // `dotnet format --diagnostics MIG0041` applies the code fix (Fix All) from the package: the drop moves to Contract().
            string fixedCode = output[output.IndexOf(">>> format", StringComparison.Ordinal)..output.IndexOf(">>> rebuild", StringComparison.Ordinal)];
            Assert.That(fixedCode, Does.Match(@"protected override void Contract\(\)\s*\{\s*Delete\.Column\(""legacy_code""\)\.FromTable\(""products""\);"));
            string rebuild = output[output.IndexOf(">>> rebuild", StringComparison.Ordinal)..output.IndexOf(">>> replan", StringComparison.Ordinal)];
            Assert.That(Warning().Matches(rebuild).Select(m => m.Groups["id"].Value).Distinct(), Is.EqualTo(new[] { "MIG0021" }));
            Assert.That(output[output.IndexOf(">>> replan", StringComparison.Ordinal)..], Does.Contain("plan exit 0"));
            AssertPackageMetadata(Path.Combine(work, "feed"), version);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Each package says what it is, under which licence, where it lives, with a readme, tags and
    /// release notes, all at the one version (issue 19: the description was "Package Description").</summary>
    private static void AssertPackageMetadata(string feed, string version)
    {
        var packages = Directory.GetFiles(feed, "*.nupkg");
        Assert.That(packages.Select(p => Path.GetFileName(p)).Order(), Is.EqualTo(new[] { $"Migrator.{version}.nupkg", $"Migrator.Analyzers.{version}.nupkg", $"Migrator.Tool.{version}.nupkg" }));
        foreach (string package in packages)
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(package);
            var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var stream = nuspecEntry.Open();
            var metadata = System.Xml.Linq.XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            string id = Field("id")!;
            Assert.Multiple(() =>
            {
                Assert.That(Field("version"), Is.EqualTo(version), id);
                Assert.That(Field("description"), Is.Not.Null.And.Not.EqualTo("Package Description").And.Length.GreaterThan(40), id);
                Assert.That(Field("license"), Is.EqualTo("MIT"), id);
                Assert.That(Field("projectUrl"), Does.StartWith("https://"), id);
                Assert.That(Field("readme"), Is.Not.Null, id);
                Assert.That(zip.Entries.Any(e => e.FullName == Field("readme")), Is.True, $"{id}: the readme is in the package");
                Assert.That(Field("tags"), Is.Not.Null.And.Not.Empty, id);
                Assert.That(Field("releaseNotes"), Is.Not.Null.And.Not.Empty, id);
            });
        }
    }

    [GeneratedRegex(@"(?<file>[^\s:]+\.cs)\((?<line>\d+),\d+\): warning (?<id>[A-Z]+\d+)|warning (?<id>(NU|MSB)\d+)(?<file>)(?<line>)")]
    private static partial Regex Warning();
}
