using System.CommandLine;
using Migrator.Compatibility;
using Migrator.Planning;

namespace Migrator.Cli;

/// <summary>Options of the commands that print a report (plan, gate): format, output file, usage manifests.</summary>
public static class ReportOptions
{
    public static readonly Option<string> Format = CreateFormat();

    public static readonly Option<string?> Output = new("--output", "-o") { Description = "Write the report to this file instead of standard output" };

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

            manifests[version] = manifest;
        }

        return manifests;
    }
}
