using Spectre.Console;

namespace Migrator.Cli;

/// <summary>Where a command writes: reports to <see cref="Out"/>, the one-line errors to <see cref="Error"/>.</summary>
public sealed record CliContext(IAnsiConsole Out, TextWriter Error)
{
    /// <summary>Writes a line as it is: never wrapped to the console's width, so SQL stays runnable
    /// when copied from a report or a CI log.</summary>
    public void Line(string text = "") => Out.Profile.Out.Writer.WriteLine(text);

    /// <summary>Width of tables when the output is not a terminal (CI logs, files).</summary>
    public const int RedirectedWidth = 200;

    public static CliContext ForConsole()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Console.Profile.Width = RedirectedWidth;
        }

        return new(AnsiConsole.Console, Console.Error);
    }

    /// <summary>A context writing plain text (no colours, no live widgets) to the given writers.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = RedirectedWidth;
        return new(console, error);
    }
}
