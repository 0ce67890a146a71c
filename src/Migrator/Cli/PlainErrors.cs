using System.Text.RegularExpressions;

namespace Migrator.Cli;

/// <summary>
/// Turns System.CommandLine's and System.Text.Json's messages into one line of plain English: no .NET
/// type names (<c>System.Nullable`1[System.Int32]</c>), no line breaks, no tab-indented lists.
/// </summary>
public static partial class PlainErrors
{
    public static string OneLine(string message)
    {
        var cannotParse = CannotParse().Match(message);
        if (cannotParse.Success)
        {
            return $"{cannotParse.Groups["option"].Value}: '{cannotParse.Groups["value"].Value}' is not {Friendly(cannotParse.Groups["type"].Value)}";
        }

        string text = string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
        text = text.Replace("Must be one of: ", "Must be one of ", StringComparison.Ordinal).Replace("' '", "', '", StringComparison.Ordinal);
        return TypeName().Replace(text, m => Friendly(m.Value));
    }

    /// <summary>What a value of a .NET type is, in words.</summary>
    public static string Friendly(string type)
    {
        string inner = NullableOf().Match(type) is { Success: true } m ? m.Groups["inner"].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "Int32" or "Int64" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" or "Double" => "a number",
            "System.Boolean" or "Boolean" => "true or false",
            "System.String" or "String" => "text",
            _ => "a valid value",
        };
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"System\.Nullable`1\[(?<inner>[\w.]+)\]")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"System\.Nullable`1\[[\w.]+\]|System\.(Int32|Int64|Int16|Double|Single|Decimal|Boolean|String)\b")]
    private static partial Regex TypeName();
}
