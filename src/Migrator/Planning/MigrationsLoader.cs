using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace Migrator.Planning;

/// <summary>
/// Loads the compiled changes: a .dll as it is, or a .csproj built first with `dotnet build` unless
/// its last build is up to date with its sources (<see cref="BuildStamp"/>) or --no-build is given.
/// The assembly gets its own load context, but shares Migrator, FluentMigrator and every other
/// assembly the tool ships with, so that its changes are the tool's own types.
/// </summary>
public static class MigrationsLoader
{
    public static Assembly Load(string path, bool noBuild = false)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new MigratorException(ExitCodes.BadInput, "no migrations given: --migrations (or \"migrations\" in migrator.json) is empty");
        }

        if (!File.Exists(path))
        {
            throw new MigratorException(ExitCodes.BadInput, $"migrations not found: {path}");
        }

        string assemblyPath = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".dll" => path,
            ".csproj" => noBuild ? LastBuild(path) : BuildStamp.UpToDate(path) ?? Build(path),
            _ => throw new MigratorException(ExitCodes.BadInput, $"migrations must be a .csproj or a .dll: {path}"),
        };
        return LoadAssembly(Path.GetFullPath(assemblyPath));
    }

    private static Assembly LoadAssembly(string assemblyPath)
    {
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(assemblyPath);
        }
        catch (BadImageFormatException)
        {
            throw new MigratorException(ExitCodes.BadInput, $"migrations {assemblyPath} is not a .NET assembly: give the migrations project's .csproj or its built .dll");
        }

        var already = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a =>
            a.GetName().Name == name.Name && string.Equals(a.Location, assemblyPath, StringComparison.Ordinal));
        if (already is not null)
        {
            return already;
        }

        // From the bytes, not the path: the runtime keeps an image loaded from a path for the life of
        // the process, so a host that loads a rebuilt project again would get the old build.
        using var image = new MemoryStream(File.ReadAllBytes(assemblyPath));
        return new MigrationsLoadContext(assemblyPath).LoadFromStream(image);
    }

    private static string Build(string project)
    {
        var (code, output) = Dotnet("build", project, "--nologo", "-v", "q", "-clp:ErrorsOnly");
        if (code != 0)
        {
            string first = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? output.Trim();
            throw new MigratorException(ExitCodes.BadInput, $"building {Path.GetFileName(project)} failed: {first}");
        }

        var (pathCode, targetPath) = Dotnet("msbuild", project, "-getProperty:TargetPath", "-nologo");
        targetPath = targetPath.Trim();
        if (pathCode != 0 || !File.Exists(targetPath))
        {
            throw new MigratorException(ExitCodes.BadInput, $"cannot find the built assembly of {Path.GetFileName(project)}");
        }

        BuildStamp.Write(project, targetPath);
        return targetPath;
    }

    /// <summary>--no-build: the assembly the project's last build wrote.</summary>
    private static string LastBuild(string project)
    {
        if (BuildStamp.Read(project) is { } stamped && File.Exists(stamped))
        {
            return stamped;
        }

        var (code, targetPath) = Dotnet("msbuild", project, "-getProperty:TargetPath", "-nologo");
        targetPath = targetPath.Trim();
        if (code != 0 || !File.Exists(targetPath))
        {
            throw new MigratorException(ExitCodes.BadInput, $"--no-build: {Path.GetFileName(project)} has not been built ({targetPath} not found); build it or drop --no-build");
        }

        return targetPath;
    }

    private static (int Code, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new MigratorException(ExitCodes.BadInput, "cannot start `dotnet` to build the migrations");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private sealed class MigrationsLoadContext(string mainAssembly) : AssemblyLoadContext("migrations")
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);
        private readonly Lazy<PackageProbe> _packages = new(() => new PackageProbe(mainAssembly));
        private static readonly string ToolDirectory = AppContext.BaseDirectory;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // What the tool has, the migrations share: the same Change type, the same FluentMigrator.
            if (File.Exists(Path.Combine(ToolDirectory, assemblyName.Name + ".dll")))
            {
                return null;
            }

            string? path = _resolver.ResolveAssemblyToPath(assemblyName) ?? _packages.Value.Find(assemblyName.Name ?? "");
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
