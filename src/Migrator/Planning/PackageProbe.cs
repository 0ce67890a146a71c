using System.Text.Json;

namespace Migrator.Planning;

/// <summary>
/// Finds a package's assembly that a class library's build did not copy beside it (a library's build
/// copies no NuGet assembly: EF Core's provider, say). Its deps.json names each package's runtime
/// files; they are read from the NuGet packages folder the build restored into (NUGET_PACKAGES, else
/// ~/.nuget/packages), as `dotnet ef` does with its probing paths.
/// </summary>
internal sealed class PackageProbe
{
    private readonly Dictionary<string, string> _files = new(StringComparer.OrdinalIgnoreCase);

    public PackageProbe(string mainAssembly)
    {
        string depsFile = Path.ChangeExtension(mainAssembly, ".deps.json");
        if (!File.Exists(depsFile))
        {
            return;
        }

        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        try
        {
            using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
            var libraries = deps.RootElement.GetProperty("libraries");
            foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
            {
                foreach (var library in target.Value.EnumerateObject())
                {
                    if (!library.Value.TryGetProperty("runtime", out var runtime)
                        || !libraries.TryGetProperty(library.Name, out var info)
                        || info.GetProperty("type").GetString() != "package"
                        || !info.TryGetProperty("path", out var path))
                    {
                        continue;
                    }

                    foreach (var file in runtime.EnumerateObject())
                    {
                        string full = Path.GetFullPath(Path.Combine(packages, path.GetString()!, file.Name));
                        _files.TryAdd(Path.GetFileNameWithoutExtension(file.Name), full);
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{Path.GetFileName(depsFile)} cannot be read: {e.Message}");
        }
    }

    /// <summary>The restored file of an assembly the deps.json names, or null.</summary>
    public string? Find(string assemblyName) =>
        _files.TryGetValue(assemblyName, out string? file) && File.Exists(file) ? file : null;
}
