using System.CommandLine;
using System.Globalization;

namespace Migrator.Cli;

/// <summary>
/// Bounds on numeric options, checked while the command line is parsed so a bad value is one plain
/// error line (exit 2) before anything runs: NaN, infinities and overflow included.
/// </summary>
public static class OptionRules
{
    public static Option<double?> Between(this Option<double?> option, double min, double max)
    {
        option.Validators.Add(result =>
        {
            if (Value<double?>(result) is { } value && (!double.IsFinite(value) || value < min || value > max))
            {
                result.AddError($"{option.Name} must be a number from {Text(min)} to {Text(max)} (got {Text(value)})");
            }
        });
        return option;
    }

    public static Option<int?> Between(this Option<int?> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (Value<int?>(result) is { } value && (value < min || value > max))
            {
                result.AddError($"{option.Name} must be a whole number from {min} to {max} (got {value})");
            }
        });
        return option;
    }

    public static Option<int> Between(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (TryValue(result, out int value) && (value < min || value > max))
            {
                result.AddError($"{option.Name} must be a whole number from {min} to {max} (got {value})");
            }
        });
        return option;
    }

    public static Option<long?> Positive(this Option<long?> option)
    {
        option.Validators.Add(result =>
        {
            if (Value<long?>(result) is <= 0 and var value)
            {
                result.AddError($"{option.Name} must be a positive whole number (got {value})");
            }
        });
        return option;
    }

    /// <summary>The option's value, or null when it did not convert (the parser reports that itself).</summary>
    private static T? Value<T>(System.CommandLine.Parsing.OptionResult result) => TryValue(result, out T? value) ? value : default;

    private static bool TryValue<T>(System.CommandLine.Parsing.OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
