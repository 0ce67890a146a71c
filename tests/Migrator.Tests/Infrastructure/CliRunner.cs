using Migrator.Cli;
using Shop.Migrations.Changes;

namespace Migrator.Tests.Infrastructure;

/// <summary>Runs `dotnet migrator …` in-process through the CLI's own code path.</summary>
public static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ShopConfig => Path.Combine(RepoRoot, "sample-schemas", "shop", "migrator.json");

    /// <summary>The compiled sample changes (the test project references them).</summary>
    public static string ShopMigrations => typeof(C0001_CreateShopSchema).Assembly.Location;

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs a command whose token <paramref name="stop"/> cancels, as Ctrl-C or SIGTERM does.</summary>
    public static async Task<CliResult> RunAsync(CancellationToken stop, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MigratorCli.RunAsync(args, CliContext.ForWriters(output, error), stop);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>The built CLI (dotnet-migrator) next to its runtimeconfig, in this test run's configuration.</summary>
    public static string ToolDll => Path.Combine(RepoRoot, "src", "Migrator", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Migrator.dll");

    /// <summary>Runs a command against the shop sample and a database.</summary>
    public static Task<CliResult> ShopAsync(string connectionString, params string[] args) =>
        RunAsync([.. args, "--config", ShopConfig, "--migrations", ShopMigrations, "--connection", connectionString]);

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Migrator.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Migrator.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
