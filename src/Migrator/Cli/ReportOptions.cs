using System.CommandLine;
using Migrator.Compatibility;
using Migrator.Planning;

namespace Migrator.Cli;

/// <summary>Options of the commands that print a report (plan, gate): format, output file, usage manifests.</summary>
public static class ReportOptions
{
    public static readonly Option<string> Format = CreateFormat();

    public static readonly Option<string?> Output = CreateOutput();

    private static Option<string?> CreateOutput() =>
        new("--output", "-o") { Description = "Write the report to this file instead of standard output" };

    /// <summary>Refuses (exit 2), before any work, an --output whose folder does not exist or that names
    /// a folder, so a report is never computed only to be lost.</summary>
    public static void CheckOutput(ParseResult parse)
    {
        string? path = parse.GetValue(Output);
        if (path is null)
        {
            return;
        }

        string? folder = string.IsNullOrWhiteSpace(path) ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder) || Directory.Exists(path))
        {
            throw new MigratorException(ExitCodes.BadInput, $"--output {path}: the folder must exist and the path must name a file");
        }
    }

    public static readonly Option<string[]> Usage = new("--usage")
    {
        Description = "VERSION=FILE: the usage manifest of an app version to check (repeatable); with a connection, live versions' stored manifests are used too",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format") { Description = "Report format", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "markdown", "json", "sarif");
        return option;
    }

    public static void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Output);
        command.Options.Add(Usage);
    }

    /// <summary>The manifests given with --usage, by version.</summary>
    public static IReadOnlyDictionary<string, UsageManifest> Manifests(ParseResult parse)
    {
        var manifests = new Dictionary<string, UsageManifest>(StringComparer.Ordinal);
        foreach (string value in parse.GetValue(Usage) ?? [])
        {
            int eq = value.IndexOf('=');
            if (eq <= 0 || eq == value.Length - 1)
            {
                throw new MigratorException(ExitCodes.BadInput, $"--usage expects VERSION=FILE, got '{value}'");
            }

            string version = ChangeCatalog.ParseVersion(value[..eq], "--usage version").ToString();
            var manifest = UsageManifest.Load(value[(eq + 1)..]);
            if (manifest.AppVersion != version)
            {
                throw new MigratorException(ExitCodes.BadInput, $"usage manifest {value[(eq + 1)..]} is for app version {manifest.AppVersion}, not {version}");
            }

            if (!manifests.TryAdd(version, manifest))
            {
                throw new MigratorException(ExitCodes.BadInput, $"--usage gives app version {version} twice: give one manifest per version");
            }
        }

        return manifests;
    }
}
