using Spectre.Console;

namespace Migrator.Cli;

/// <summary>Where a command writes: reports to <see cref="Out"/>, the one-line errors to <see cref="Error"/>.</summary>
public sealed record CliContext(IAnsiConsole Out, TextWriter Error)
{
    /// <summary>Writes a line as it is: never wrapped to the console's width, so SQL stays runnable
    /// when copied from a report or a CI log.</summary>
    public void Line(string text = "") => Out.Profile.Out.Writer.WriteLine(text);

    /// <summary>Where machine-readable output and warnings go: standard output, even with --quiet.</summary>
    private TextWriter? DataWriter { get; init; }

    /// <summary>True under --quiet: <see cref="Out"/> and <see cref="Line"/> print nothing.</summary>
    public bool IsQuiet { get; private init; }

    /// <summary>Standard input (`lint -`).</summary>
    public TextReader Input { get; init; } = Console.In;

    /// <summary>Writes output a program reads (JSON, SARIF, markdown), printed even with --quiet.</summary>
    public void Data(string text) => (DataWriter ?? Out.Profile.Out.Writer).WriteLine(text);

    /// <summary>Writes a warning line, printed even with --quiet.</summary>
    public void Warn(string text) => Data("warning: " + text);

    /// <summary>The same context for --quiet: tables, progress and messages go nowhere; errors,
    /// warnings and machine-readable reports still print.</summary>
    public CliContext AsQuiet()
    {
        var silent = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(TextWriter.Null),
        });
        return new CliContext(silent, Error) { DataWriter = DataWriter ?? Out.Profile.Out.Writer, IsQuiet = true };
    }

    /// <summary>Width of tables when the output is not a terminal (CI logs, files) and COLUMNS is not set.</summary>
    public const int RedirectedWidth = 200;

    public static CliContext ForConsole()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns is >= 20 and <= 1000)
        {
            AnsiConsole.Console.Profile.Width = columns;
        }
        else if (Console.IsOutputRedirected)
        {
            AnsiConsole.Console.Profile.Width = RedirectedWidth;
        }

        return new(AnsiConsole.Console, Console.Error);
    }

    /// <summary>A context writing plain text (no colours, no live widgets) to the given writers.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error, int width = RedirectedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        return new(console, error);
    }
}
