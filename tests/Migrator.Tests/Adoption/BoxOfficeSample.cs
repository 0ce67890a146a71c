using BoxOffice.Migrations.Changes;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Adoption;

/// <summary>
/// The box office sample (sample-schemas/boxoffice) for one test database: its schema.sql, and a
/// scratch folder whose migrator.json names the compiled changes, where `baseline` writes its file and
/// `dotnet migrator` commands run.
/// </summary>
public sealed class BoxOfficeSample(string connectionString) : IDisposable
{
    public static string SampleDir => Path.Combine(CliRunner.RepoRoot, "sample-schemas", "boxoffice");

    public static string SchemaSql => File.ReadAllText(Path.Combine(SampleDir, "schema.sql"));

    public string Work { get; } = CreateWork();

    public string BaselinePath => Path.Combine(Work, BaselineFile.DefaultName);

    public Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--config", Path.Combine(Work, "migrator.json"), "--connection", connectionString]);

    /// <summary>Runs a command that must succeed; the assertion shows its output otherwise.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"{string.Join(' ', args)}\n{result}");
        return result;
    }

    public void Dispose() => Directory.Delete(Work, recursive: true);

    private static string CreateWork()
    {
        string work = Directory.CreateTempSubdirectory("boxoffice-").FullName;
        File.WriteAllText(Path.Combine(work, "migrator.json"),
            $$"""{ "migrations": {{System.Text.Json.JsonSerializer.Serialize(typeof(C0001_RenameVenueCity).Assembly.Location)}} }""");
        return work;
    }
}
