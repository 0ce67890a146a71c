using System.CommandLine;
using Migrator.Compatibility;
using Migrator.Planning;

namespace Migrator.Cli.Commands;

/// <summary>`usage extract`: the usage manifest of an app version, read from its C# source (no build, no database).</summary>
public static class UsageCommand
{
    private static readonly Option<string> Project = new("--project") { Description = "The app's .csproj or its folder", Required = true };
    private static readonly Option<string> AppVersion = new("--app-version") { Description = "The version this code is (SemVer)", Required = true };
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "Write the manifest here (default: standard output)" };
    private static readonly Option<string> Dialect = new("--dialect")
    {
        Description = "SQL dialect of the app's queries",
        DefaultValueFactory = _ => "postgres",
    };

    public static Command Create(CliContext cli)
    {
        Dialect.AcceptOnlyFromAmong("postgres", "sqlserver");
        var extract = new Command("extract", "Find every Dapper call in an app's source and write what its SQL reads and writes") { Project, AppVersion, Output, Dialect };
        extract.SetAction((parse, cancellation) =>
        {
            string version = ChangeCatalog.ParseVersion(parse.GetValue(AppVersion)!, "--app-version").ToString();
            var manifest = UsageExtractor.Extract(parse.GetValue(Project)!, version, parse.GetValue(Dialect)!);
            string json = manifest.ToJson();
            if (parse.GetValue(Output) is { } path)
            {
                File.WriteAllText(path, json);
                int errors = manifest.Statements.Count(s => s.Errors.Count > 0);
                cli.Line($"usage of {manifest.Project} {version}: {manifest.Statements.Count} statements, {manifest.Unresolved.Count} unresolved, {errors} not parsed; written to {path}");
                foreach (var u in manifest.Unresolved)
                {
                    cli.Line($"  unresolved {u.File}:{u.Line} {u.Method}: {u.Reason}");
                }

                foreach (var s in manifest.Statements.Where(s => s.Errors.Count > 0))
                {
                    cli.Line($"  not parsed {s.Location}: {s.Errors[0]}");
                }
            }
            else
            {
                cli.Line(json);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return new Command("usage", "What an app version's code reads and writes in the database") { extract };
    }
}
