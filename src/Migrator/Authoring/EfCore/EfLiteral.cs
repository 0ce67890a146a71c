using System.Globalization;

namespace Migrator.Authoring.EfCore;

/// <summary>
/// An EF Core migration's <c>defaultValue:</c> as a PostgreSQL literal: text quoted with its quotes
/// doubled, numbers in invariant culture, booleans, dates, GUIDs and enums (their number, as EF stores
/// them). A value of any other type is refused, never written with ToString().
/// </summary>
internal static class EfLiteral
{
    public static string Of(object value) => value switch
    {
        string text => Quoted(text),
        char c => Quoted(c.ToString()),
        bool b => b ? "TRUE" : "FALSE",
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        sbyte or byte or short or ushort or int or uint or long or ulong =>
            Convert.ToString(value, CultureInfo.InvariantCulture)!,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        float f when float.IsFinite(f) => f.ToString("R", CultureInfo.InvariantCulture),
        Guid g => Quoted(g.ToString("D")),
        DateTime t => Quoted(t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        DateTimeOffset t => Quoted(t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)),
        DateOnly d => Quoted(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => Quoted(t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        TimeSpan t => Quoted(t.ToString("c", CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"a default value of type {value.GetType().Name} (give it as defaultValueSql)"),
    };

    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
