using System.CommandLine;
using Migrator.Backfill;
using Migrator.Cli.Commands;
using Npgsql;

namespace Migrator.Cli;

/// <summary>
/// `dotnet migrator`: builds the command tree and runs one command. Expected failures become one
/// line on stderr and a documented exit code; nothing prints a stack trace unless --verbose.
/// </summary>
public static class MigratorCli
{
    public static RootCommand BuildRoot(CliContext cli)
    {
        var root = new RootCommand("Migrator: zero-downtime expand / backfill / contract schema changes for .NET on PostgreSQL");
        CommonOptions.AddTo(root);
        root.Subcommands.Add(PlanCommand.Create(cli));
        root.Subcommands.Add(StatusCommand.Create(cli));
        root.Subcommands.Add(ExpandCommand.Create(cli));
        root.Subcommands.Add(BackfillCommand.Create(cli));
        root.Subcommands.Add(ContractCommand.Create(cli));
        root.Subcommands.Add(RollbackCommand.Create(cli));
        root.Subcommands.Add(DeployCommand.Create(cli));
        root.Subcommands.Add(GateCommand.Create(cli));
        root.Subcommands.Add(UsageCommand.Create(cli));
        return root;
    }

    public static Task<int> RunAsync(string[] args, CancellationToken cancellation = default) =>
        RunAsync(args, CliContext.ForConsole(), cancellation);

    public static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellation = default)
    {
        var root = BuildRoot(cli);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await cli.Error.WriteLineAsync($"error: {parse.Errors[0].Message} (see `dotnet migrator --help`)");
            return ExitCodes.BadInput;
        }

        bool verbose = parse.GetValue(CommonOptions.Verbose);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = cli.Out.Profile.Out.Writer,
                Error = cli.Error,
            }, cancellation);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            await cli.Error.WriteLineAsync($"error: {message}");
            if (verbose)
            {
                await cli.Error.WriteLineAsync(e.ToString());
            }

            return code;
        }
    }

    /// <summary>The exit code and the one line an exception becomes.</summary>
    internal static (int Code, string Message) Describe(Exception e) => e switch
    {
        MigratorException m => (m.ExitCode, m.Message),
        BackfillException b => (b.IsBadInput ? ExitCodes.BadInput : ExitCodes.DatabaseError, b.Message),
        PostgresException pg => (ExitCodes.DatabaseError, $"database error {PostgresErrorText.Describe(pg)}"),
        NpgsqlException n => (ExitCodes.DatabaseError, $"database error: {n.Message}"),
        OperationCanceledException => (ExitCodes.DatabaseError, "cancelled"),
        _ => (ExitCodes.Internal, $"internal error ({e.GetType().Name}): {e.Message} — please report it; --verbose shows details"),
    };
}
