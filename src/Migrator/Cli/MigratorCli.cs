using System.Runtime.InteropServices;
using System.CommandLine;
using Migrator.Backfill;
using Migrator.Cli.Commands;
using System.Data.Common;

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
        root.Subcommands.Add(BaselineCommand.Create(cli));
        root.Subcommands.Add(StatusCommand.Create(cli));
        root.Subcommands.Add(ExpandCommand.Create(cli));
        root.Subcommands.Add(BackfillCommand.Create(cli));
        root.Subcommands.Add(ContractCommand.Create(cli));
        root.Subcommands.Add(RollbackCommand.Create(cli));
        root.Subcommands.Add(DeployCommand.Create(cli));
        root.Subcommands.Add(GateCommand.Create(cli));
        root.Subcommands.Add(UsageCommand.Create(cli));
        root.Subcommands.Add(HistoryCommand.Create(cli));
        root.Subcommands.Add(LintCommand.Create(cli));
        return root;
    }

    /// <summary>The process's entry: Ctrl-C and SIGTERM (what Kubernetes sends before killing a pod) cancel
    /// the command's token, so a backfill stops at a batch boundary and a phase where its step ends, the
    /// stop is recorded, and the process exits 6. A second signal terminates at once.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellation = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunAsync(args, CliContext.ForConsole(), stop.Token);
    }

    public static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellation = default)
    {
        var root = BuildRoot(cli);
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0 && parse.GetValue(CommonOptions.Quiet) && !cli.IsQuiet)
        {
            cli = cli.AsQuiet();
            root = BuildRoot(cli);
            parse = root.Parse(args);
        }
        if (parse.Errors.Count > 0 && parse.CommandResult.Command.Subcommands.Count > 0 && parse.CommandResult.Command.Action is null
            && parse.CommandResult.Tokens.Count == 0 && parse.UnmatchedTokens.Count == 0 && !args.Contains("--help"))
        {
            // A bare `dotnet migrator` or `dotnet migrator deploy`: its help, as dotnet-ef does (exit 0).
            return await RunAsync([.. args, "--help"], cli, cancellation);
        }

        if (parse.Errors.Count > 0)
        {
            await cli.Error.WriteLineAsync($"error: {Explain(parse)} (see `dotnet migrator --help`)");
            return ExitCodes.BadInput;
        }

        bool verbose = parse.GetValue(CommonOptions.Verbose);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
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

    /// <summary>
    /// The one line a parse failure becomes: an unknown command or option with the nearest known one
    /// ("unknown command 'pln'; did you mean 'plan'?"), otherwise the first error in plain words, named
    /// after the option it is about.
    /// </summary>
    internal static string Explain(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        foreach (var error in parse.Errors)
        {
            var unrecognized = System.Text.RegularExpressions.Regex.Match(error.Message, "^Unrecognized command or argument '(?<token>.*)'");
            if (!unrecognized.Success)
            {
                continue;
            }

            string token = unrecognized.Groups["token"].Value;
            bool option = token.StartsWith('-');
            var known = option
                ? command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Append(o.Name))
                : command.Subcommands.SelectMany(c => c.Aliases.Append(c.Name));
            string? near = Suggestions.Nearest(token, known.Distinct());
            string what = option ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
            return $"unknown {what} '{token}'" + (near is null ? "" : $"; did you mean '{near}'?");
        }

        var first = parse.Errors[0];
        string message = PlainErrors.OneLine(first.Message);
        string? name = first.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option.Name,
            _ => null,
        };
        return name is not null && !message.Contains(name, StringComparison.Ordinal) ? $"{name}: {message}" : message;
    }

    /// <summary>The exit code and the one line an exception becomes.</summary>
    internal static (int Code, string Message) Describe(Exception e) => e switch
    {
        MigratorException m => (m.ExitCode, m.Message),
        BackfillException b => (b.IsBadInput ? ExitCodes.BadInput : ExitCodes.DatabaseError, b.Message),
        DbException { SqlState: not null } server => (ExitCodes.DatabaseError, $"database error {PostgresErrorText.Describe(server)}"),
        DbException n => (ExitCodes.DatabaseError, $"database error: {n.Message}"),
        OperationCanceledException => (ExitCodes.Stopped, "stopped by a signal; the ledger records where: run the same command again to resume"),
        _ => (ExitCodes.Internal, $"internal error ({e.GetType().Name}): {e.Message} — please report it; --verbose shows details"),
    };
}
