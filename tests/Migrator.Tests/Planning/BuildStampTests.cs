using Migrator.Planning;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Planning;

/// <summary>The migrations project is built only when a source changed since Migrator's last build of
/// it; --no-build uses the last build as it is. Proven with a real project built by `dotnet build`.</summary>
public sealed class BuildStampTests
{
    private ScratchMigrationsProject _scratch = null!;

    private string Folder => _scratch.Folder;

    private string Project => _scratch.Project;

    [SetUp]
    public void CreateProject()
    {
        _scratch = new ScratchMigrationsProject("Stamp");
        WriteChange(1, "stamp_one");
    }

    [TearDown]
    public void DeleteProject() => _scratch.Dispose();

    private void WriteChange(int number, string table) =>
        File.WriteAllText(Path.Combine(Folder, $"C{number}.cs"), $$"""
            using Migrator.Authoring;
            [Change({{202612030000 + number}}, "Create {{table}}", AppVersion = "1.0.{{number}}")]
            public sealed class C{{number}} : Change
            {
                protected override void Expand() => Create.Table("{{table}}").WithColumn("id").AsInt64().PrimaryKey();
            }
            """);

    private async Task<CliResult> PlanAsync(params string[] extra)
    {
        var result = await CliRunner.RunAsync(["plan", "--migrations", Project, .. extra]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return result;
    }

    [Test]
    public async Task A_project_is_rebuilt_only_when_a_source_changed_and_no_build_uses_the_last_build()
    {
        Assert.That(BuildStamp.UpToDate(Project), Is.Null, "never built");
        Assert.That((await PlanAsync()).Output, Does.Contain("stamp_one"));
        string? built = BuildStamp.UpToDate(Project);
        Assert.That(built, Is.Not.Null.And.EndsWith("Stamp.Migrations.dll"));
        var builtAt = File.GetLastWriteTimeUtc(built!);

        // Nothing changed: the last build is used as it is.
        Assert.That((await PlanAsync()).Output, Does.Contain("stamp_one"));
        Assert.That(File.GetLastWriteTimeUtc(built!), Is.EqualTo(builtAt));

        // A new change: the sources are newer than the stamp.
        WriteChange(2, "stamp_two");
        Assert.That(BuildStamp.UpToDate(Project), Is.Null);

        // --no-build does not see it (the last build), a plain plan builds and does.
        Assert.That((await PlanAsync("--no-build")).Output, Does.Contain("stamp_one").And.Not.Contain("stamp_two"));
        Assert.That((await PlanAsync()).Output, Does.Contain("stamp_two"));
        Assert.That(BuildStamp.UpToDate(Project), Is.Not.Null);

        // A deleted source leaves no newer file behind; its folder is newer, so it builds again.
        File.Delete(Path.Combine(Folder, "C2.cs"));
        Assert.That(BuildStamp.UpToDate(Project), Is.Null);
        Assert.That((await PlanAsync()).Output, Does.Contain("stamp_one").And.Not.Contain("stamp_two"));
    }

    [Test]
    public async Task No_build_on_a_project_never_built_is_one_clear_error()
    {
        var result = await CliRunner.RunAsync("plan", "--migrations", Project, "--no-build");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.Trim(), Does.StartWith("error: --no-build: Stamp.Migrations.csproj has not been built").And.Not.Contain("\n"));
    }

    [Test]
    public void Inputs_follow_project_references_and_sources_linked_from_outside_the_folder()
    {
        string next = Path.Combine(CliRunner.RepoRoot, "sample-schemas", "shop-next", "Shop.Next.Migrations", "Shop.Next.Migrations.csproj");
        var inputs = BuildStamp.Inputs(next).ToHashSet();
        Assert.That(inputs, Does.Contain(Path.Combine(CliRunner.RepoRoot, "sample-schemas", "shop", "Shop.Migrations", "Changes", "C0002_RenameCustomerEmail.cs")), "linked sources");
        Assert.That(inputs, Does.Contain(Path.Combine(CliRunner.RepoRoot, "src", "Migrator", "Authoring", "Change.cs")), "a referenced project's sources");
        Assert.That(inputs, Does.Contain(Path.Combine(CliRunner.RepoRoot, "Directory.Build.props")));
        Assert.That(inputs.Any(i => i.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)), Is.False);
    }
}
