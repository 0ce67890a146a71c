using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Docs;

/// <summary>The migrator-schema.txt files the sample apps give the analyzers are what `plan --schema-file`
/// writes for the shop today: regenerate them when the shop's changes change.</summary>
public class SchemaFileTests
{
    [TestCase("shop/Shop.App.V2/migrator-schema.txt")]
    [TestCase("analyzer-showcase/Showcase.App/migrator-schema.txt")]
    public async Task The_checked_in_schema_file_is_what_plan_writes(string file)
    {
        string written = Path.Combine(Path.GetTempPath(), $"migrator-schema-{Guid.NewGuid():N}.txt");
        var result = await CliRunner.RunAsync("plan", "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--schema-file", written);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        string text = await File.ReadAllTextAsync(written);
        File.Delete(written);
        Assert.That(text, Does.Contain("remove 202611230002 public.customers.email email_address"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "sample-schemas", file)), Is.EqualTo(text));
    }
}
