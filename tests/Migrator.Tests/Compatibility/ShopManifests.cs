using Migrator.Compatibility;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Compatibility;

/// <summary>The sample apps' usage manifests, extracted once from their source into a temp folder, and
/// the shop-next sample (shop's changes plus two that break app 2.0.0).</summary>
public static class ShopManifests
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string folder = Path.Combine(Path.GetTempPath(), "migrator-manifests-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        string apps = Path.Combine(CliRunner.RepoRoot, "sample-schemas", "shop");
        File.WriteAllText(Path.Combine(folder, "v1.json"), UsageExtractor.Extract(Path.Combine(apps, "Shop.App.V1"), "1.0.0").ToJson());
        File.WriteAllText(Path.Combine(folder, "v2.json"), UsageExtractor.Extract(Path.Combine(apps, "Shop.App.V2"), "2.0.0").ToJson());

        // 2.1.0: app 2.0.0 with its order INSERT fixed to stop writing order_lines.price_cents.
        string fixedApp = Path.Combine(folder, "Shop.App.V21");
        Directory.CreateDirectory(fixedApp);
        foreach (string file in Directory.GetFiles(Path.Combine(apps, "Shop.App.V2"), "*.cs"))
        {
            string code = File.ReadAllText(file)
                .Replace("quantity, price_cents)", "quantity)")
                .Replace("@quantity, p.price_cents FROM", "@quantity FROM");
            File.WriteAllText(Path.Combine(fixedApp, Path.GetFileName(file)), code);
        }

        File.WriteAllText(Path.Combine(folder, "v21.json"), UsageExtractor.Extract(fixedApp, "2.1.0").ToJson());
        return folder;
    });

    public static string V1 => Path.Combine(Folder.Value, "v1.json");

    public static string V2 => Path.Combine(Folder.Value, "v2.json");

    public static string V21 => Path.Combine(Folder.Value, "v21.json");

    public static string NextConfig => Path.Combine(CliRunner.RepoRoot, "sample-schemas", "shop-next", "migrator.json");

    public static string NextMigrations => Path.Combine(AppContext.BaseDirectory, "Shop.Next.Migrations.dll");

    /// <summary>The line of app 2.0.0's INSERT INTO order_lines call, as `usage extract` reports it.</summary>
    public static int V2OrderLineInsert
    {
        get
        {
            var lines = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "sample-schemas", "shop", "Shop.App.V2", "OrderRepository.cs"));
            int insert = Array.FindIndex(lines, l => l.Contains("INSERT INTO order_lines"));
            return Array.FindLastIndex(lines, insert, l => l.Contains("await connection.ExecuteAsync(")) + 1;
        }
    }

    /// <summary>Runs a command against the shop-next sample, offline or with a database.</summary>
    public static Task<CliResult> NextAsync(string? connectionString, params string[] args) =>
        CliRunner.RunAsync([.. args, "--config", NextConfig, "--migrations", NextMigrations, .. connectionString is null ? Array.Empty<string>() : ["--connection", connectionString]]);
}
