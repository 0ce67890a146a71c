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

    public static readonly Option<int?> StatementTimeout = new Option<int?>("--statement-timeout")
    {
        Description = "statement_timeout of every phase step, in milliseconds; 0 for none (default: 60000 for DDL steps, none for validations and CONCURRENTLY builds)",
        Recursive = true,
    }.Between(0, 86_400_000);

    public static readonly Option<string?> Baseline = new Option<string?>("--baseline")
    {
        Description = "The adopted database's baseline file (default: the config's \"baseline\", else migrator-baseline.json)",
        Recursive = true,
    };

    public static readonly Option<string?> LedgerSchema = new Option<string?>("--ledger-schema")
    {
        Description = "Schema of the ledger and the sync-trigger functions (default: migrator)",
        Recursive = true,
    };

    public static readonly Option<int?> LockRetries = new Option<int?>("--lock-retries")
    {
        Description = "Attempts per DDL step that hits lock_timeout (default 10)",
        Recursive = true,
    }.Between(1, 1000);

    public static readonly Option<double?> RetireWait = new Option<double?>("--retire-wait")
    {
        Description = "Rollback window in seconds: contract waits this long after a retire (default 0)",
        Recursive = true,
    }.Between(0, 2_592_000);

    public static readonly Option<string?> RuleDocsUrl = new Option<string?>("--rule-docs-url")
    {
        Description = "Base URL of the rule pages that reports link to",
        Recursive = true,
    };

    public static readonly Option<string?> Provider = new Option<string?>("--provider")
    {
        Description = "The database engine: postgres (default) or sqlserver (offline plan only so far)",
        Recursive = true,
    };

    public static readonly Option<string[]> EfAppVersion = new Option<string[]>("--ef-app-version")
    {
        Description = "MIGRATION=VERSION: the app version of an EF Core migration without [AppVersion] (repeatable)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<bool> NoBuild = new Option<bool>("--no-build")
    {
        Description = "Do not build the migrations project: use the assembly of its last build",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new Option<bool>("--quiet", "-q")
    {
        Description = "Print only errors, warnings and machine-readable reports (--format json|sarif|markdown)",
        Recursive = true,
    };

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
        root.Options.Add(StatementTimeout);
        root.Options.Add(Baseline);
        root.Options.Add(LedgerSchema);
        root.Options.Add(LockRetries);
        root.Options.Add(RetireWait);
        root.Options.Add(RuleDocsUrl);
        root.Options.Add(Provider);
        root.Options.Add(EfAppVersion);
        root.Options.Add(NoBuild);
        root.Options.Add(Quiet);
        root.Options.Add(Verbose);
    }
}
