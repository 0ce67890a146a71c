namespace Migrator.Dialects.SqlServer;

/// <summary>
/// Which T-SQL built-in functions give a new value per row. SQL Server adds a column with a default
/// as a metadata change only when the default is a runtime constant (evaluated once for the whole
/// statement): NEWID() and its kin are not, so every row is written. A function not listed here (a
/// user's function, or a built-in Migrator does not know) is not known, and counted as per row.
/// </summary>
public static class TSqlFunctions
{
    private static readonly HashSet<string> PerRow = new(["newid", "newsequentialid", "crypt_gen_random"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> RuntimeConstant = new(
    [
        "getdate", "getutcdate", "sysdatetime", "sysutcdatetime", "sysdatetimeoffset", "current_timestamp",
        "suser_sname", "suser_name", "user_name", "db_name", "app_name", "host_name", "original_login",
        "dateadd", "datediff", "datefromparts", "datetimefromparts", "datetime2fromparts", "eomonth", "year", "month", "day",
        "abs", "round", "floor", "ceiling", "power", "sqrt", "sign",
        "upper", "lower", "len", "left", "right", "substring", "replace", "replicate", "ltrim", "rtrim", "trim", "concat", "concat_ws",
        "isnull", "nullif", "iif", "choose", "format", "str", "space", "char", "nchar", "ascii", "unicode",
        "json_value", "json_query", "json_object", "json_array", "compress", "hashbytes", "checksum", "binary_checksum",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a function that gives each row its own value, false for a runtime constant,
    /// null for one not known.</summary>
    public static bool? IsVolatile(string function) =>
        PerRow.Contains(function) ? true : RuntimeConstant.Contains(function) ? false : null;
}
