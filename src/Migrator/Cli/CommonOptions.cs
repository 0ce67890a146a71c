using System.CommandLine;

namespace Migrator.Cli;

/// <summary>Options every command accepts (docs/commands.md).</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Config = new Option<string?>("--config")
    {
        Description = "Path of migrator.json (default: ./migrator.json)",
        Recursive = true,
    };

    public static readonly Option<string?> Connection = new Option<string?>("--connection")
    {
        Description = "Npgsql connection string (default: env MIGRATOR_CONNECTION, then the config)",
        Recursive = true,
    };

    public static readonly Option<string?> Migrations = new Option<string?>("--migrations")
    {
        Description = "The changes: a .csproj (built first) or a .dll (default: the config's \"migrations\")",
        Recursive = true,
    };

    public static readonly Option<double?> LockWait = new Option<double?>("--lock-wait")
    {
        Description = "Seconds to wait for another migrator's ledger lock before exiting 3",
        Recursive = true,
    }.Between(0, 86_400);

    public static readonly Option<int?> LockTimeout = new Option<int?>("--lock-timeout")
    {
        Description = "lock_timeout of every DDL statement, in milliseconds (default 500)",
        Recursive = true,
    }.Between(1, 3_600_000);

    public static readonly Option<bool> Verbose = new Option<bool>("--verbose")
    {
        Description = "Print details of errors and of each step",
        Recursive = true,
    };

    public static readonly Option<long?> Change = new Option<long?>("--change")
    {
        Description = "Only this change id",
    }.Positive();

    public static void AddTo(Command root)
    {
        root.Options.Add(Config);
        root.Options.Add(Connection);
        root.Options.Add(Migrations);
        root.Options.Add(LockWait);
        root.Options.Add(LockTimeout);
        root.Options.Add(Verbose);
    }
}
