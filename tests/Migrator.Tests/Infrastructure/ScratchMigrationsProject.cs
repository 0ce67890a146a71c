namespace Migrator.Tests.Infrastructure;

/// <summary>A migrations project in a temp folder, as a team writes one: FluentMigrator from NuGet and
/// this build's Migrator.dll; its changes are written by the test and built by `dotnet build` (through
/// the tool, as `plan` does).</summary>
public sealed class ScratchMigrationsProject : IDisposable
{
    public ScratchMigrationsProject(string prefix)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"migrator-{prefix}-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        Project = Path.Combine(Folder, $"{prefix}.Migrations.csproj");
        File.WriteAllText(Project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="FluentMigrator" Version="8.0.1" />
                <Reference Include="Migrator" HintPath="{Path.Combine(AppContext.BaseDirectory, "Migrator.dll")}" />
              </ItemGroup>
            </Project>
            """);
    }

    public string Folder { get; }

    public string Project { get; }

    public void Write(string file, string code) => File.WriteAllText(Path.Combine(Folder, file), code);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
