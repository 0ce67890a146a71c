using System.Text.Json;
using System.Xml.Linq;

namespace Migrator.Planning;

/// <summary>
/// Whether a migrations project needs building: after each build Migrator writes
/// <c>obj/migrator-build.json</c> (the built assembly's path); the build is up to date while no input
/// is newer than that file (a source deleted or renamed shows as a newer folder). Inputs are the project's files (sources, project files, JSON, resources;
/// not bin/ or obj/), the Directory.Build.*, Directory.Packages.props, global.json and NuGet.config
/// files above it, the folders of items it includes from outside its folder, and the same for every
/// project it references, transitively. Any doubt (no stamp, a missing file, an unreadable project)
/// means "build".
/// </summary>
public static class BuildStamp
{
    private const string FileName = "migrator-build.json";

    private static readonly HashSet<string> InputExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".csproj", ".props", ".targets", ".json", ".resx", ".config", ".editorconfig", ".globalconfig", ".sql",
    };

    private static readonly string[] AncestorFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config", ".editorconfig"];

    /// <summary>The built assembly when the last build is up to date with every input, else null.</summary>
    public static string? UpToDate(string project)
    {
        string stampPath = PathOf(project);
        if (Read(project) is not { } target || !File.Exists(target))
        {
            return null;
        }

        var stampTime = File.GetLastWriteTimeUtc(stampPath);
        try
        {
            foreach (string input in Inputs(project))
            {
                // A folder's time changes when a file in it is added, renamed or deleted. The file
                // system's clock ticks coarsely (a few ms): an input changed in the tick the stamp was
                // written in may be newer than the build, so "not older" means a build, never a stale
                // assembly.
                var changed = Directory.Exists(input) ? Directory.GetLastWriteTimeUtc(input) : File.GetLastWriteTimeUtc(input);
                if (changed >= stampTime)
                {
                    return null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return null;
        }

        return target;
    }

    /// <summary>The assembly path the last build recorded, or null.</summary>
    public static string? Read(string project)
    {
        try
        {
            using var stream = File.OpenRead(PathOf(project));
            return JsonDocument.Parse(stream).RootElement.GetProperty("targetPath").GetString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public static void Write(string project, string targetPath)
    {
        try
        {
            string path = PathOf(project);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(new { targetPath }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only checkout: every run builds, as before.
        }
    }

    private static string PathOf(string project) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(project))!, "obj", FileName);

    /// <summary>Every file whose change may change the built assembly, and every folder whose files
    /// may (a deleted source leaves no newer file behind, but a newer folder).</summary>
    public static IEnumerable<string> Inputs(string project)
    {
        var projects = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(project));
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            if (!projects.Add(current))
            {
                continue;
            }

            string folder = Path.GetDirectoryName(current)!;
            folders.Add(folder);
            foreach (var include in XDocument.Load(current).Descendants().Select(e => (Name: e.Name.LocalName, Include: (string?)e.Attribute("Include"))))
            {
                if (include.Include is not { Length: > 0 } value || value.Contains("$(", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (string part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    string full = Path.GetFullPath(Path.Combine(folder, part.Replace('\\', '/')));
                    if (include.Name == "ProjectReference")
                    {
                        pending.Push(full);
                        continue;
                    }

                    // An item from outside the folder (e.g. shared sources linked in): its folder, up to
                    // the first wildcard, is an input folder too.
                    int wildcard = full.IndexOfAny(['*', '?']);
                    string itemFolder = wildcard >= 0 ? Path.GetDirectoryName(full[..wildcard])! : Path.GetDirectoryName(full)!;
                    if (!itemFolder.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) && itemFolder != folder)
                    {
                        folders.Add(itemFolder);
                    }
                }
            }
        }

        foreach (string projectFile in projects)
        {
            yield return projectFile;
            for (var directory = new DirectoryInfo(Path.GetDirectoryName(projectFile)!); directory is not null; directory = directory.Parent)
            {
                foreach (string name in AncestorFiles)
                {
                    string candidate = Path.Combine(directory.FullName, name);
                    if (File.Exists(candidate))
                    {
                        yield return candidate;
                    }
                }
            }
        }

        foreach (string folder in folders.Where(Directory.Exists))
        {
            foreach (string file in Files(folder))
            {
                yield return file;
            }
        }
    }

    private static IEnumerable<string> Files(string folder)
    {
        yield return folder;
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            if (InputExtensions.Contains(Path.GetExtension(file)))
            {
                yield return file;
            }
        }

        foreach (string sub in Directory.EnumerateDirectories(folder))
        {
            string name = Path.GetFileName(sub);
            if (name is "bin" or "obj" or "node_modules" || name.StartsWith('.'))
            {
                continue;
            }

            foreach (string file in Files(sub))
            {
                yield return file;
            }
        }
    }
}
