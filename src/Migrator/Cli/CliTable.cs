using System.Text;
using Spectre.Console;

namespace Migrator.Cli;

/// <summary>
/// A table that stays readable at any console width: drawn as a table when every cell fits on one
/// line, otherwise as a list, one entry per row (its first two cells as the heading, the others as
/// "Header: value" lines, long values word-wrapped with an indent). Nothing is ever squeezed into a
/// column a few characters wide, and ids are never wrapped.
/// </summary>
public sealed class CliTable(string title, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public string Title { get; } = title;

    public IReadOnlyList<string> Headers { get; } = headers;

    public IReadOnlyList<string[]> Rows => _rows;

    public CliTable AddRow(params string[] cells)
    {
        if (cells.Length != Headers.Count)
        {
            throw new ArgumentException($"{Title}: {cells.Length} cells for {Headers.Count} columns");
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Width of the table with every cell on one line, borders included.</summary>
    public int NaturalWidth =>
        Enumerable.Range(0, Headers.Count).Sum(i => _rows.Select(r => Width(r[i])).Append(Width(Headers[i])).Max()) + (3 * Headers.Count) + 1;

    public void Write(CliContext cli)
    {
        int width = cli.Out.Profile.Width;
        if (NaturalWidth <= width)
        {
            var table = new Table().Title(Title);
            foreach (string header in Headers)
            {
                table.AddColumn(new TableColumn(header).NoWrap());
            }

            foreach (var row in _rows)
            {
                table.AddRow(row.Select(c => new Text(c)).ToArray<Spectre.Console.Rendering.IRenderable>());
            }

            cli.Out.Write(table);
            return;
        }

        foreach (string line in AsList(width))
        {
            cli.Line(line);
        }
    }

    /// <summary>The list layout, lines of at most <paramref name="width"/> characters where words allow.</summary>
    public IEnumerable<string> AsList(int width)
    {
        yield return Title;
        foreach (var row in _rows)
        {
            string heading = Headers.Count > 1 && row[1].Length > 0 ? row[0] + "  " + row[1] : row[0];
            foreach (string line in Wrap(heading, width, "", "    "))
            {
                yield return line;
            }

            for (int i = Headers.Count > 1 ? 2 : 1; i < Headers.Count; i++)
            {
                if (row[i] is "" or "-")
                {
                    continue;
                }

                foreach (string line in Wrap($"{Headers[i]}: {row[i]}", width, "    ", "      "))
                {
                    yield return line;
                }
            }
        }
    }

    private static int Width(string text) => text.Split('\n').Max(l => l.Length);

    /// <summary>Word-wraps <paramref name="text"/>; a word longer than a line (an id, a path) is kept whole.</summary>
    private static IEnumerable<string> Wrap(string text, int width, string first, string rest)
    {
        var line = new StringBuilder(first);
        bool empty = true;
        foreach (string word in text.Replace('\n', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append(rest);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        yield return line.ToString();
    }
}
