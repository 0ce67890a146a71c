using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// One line for a PostgreSQL error: SQLSTATE, message, and what PostgreSQL adds to explain it (DETAIL,
/// HINT, and the schema, table, column and constraint it names), e.g. which views depend on a column a
/// contract drops. A DETAIL that carries row values (data and constraint errors: "Key (email)=(…)",
/// "Failing row contains …") is left out of the line, so values do not land in CI logs; `--verbose`
/// prints the whole error. Connections are opened with Include Error Detail, so the DETAIL is there.
/// </summary>
public static class PostgresErrorText
{
    /// <summary>A server error from any ADO.NET provider: PostgreSQL's in full, another's as its SQLSTATE and message.</summary>
    public static string Describe(System.Data.Common.DbException e) =>
        e is PostgresException pg ? Describe(pg) : $"{e.SqlState}: {OneLine(e.Message)}";

    /// <summary>The server's message alone (PostgreSQL's MessageText), without SQLSTATE or detail.</summary>
    public static string MessageText(System.Data.Common.DbException e) => e is PostgresException pg ? pg.MessageText : e.Message;

    public static string Describe(PostgresException e)
    {
        var parts = new List<string>();
        bool carriesRows = e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal);
        if (!string.IsNullOrWhiteSpace(e.Detail))
        {
            parts.Add(carriesRows ? "detail holds row values: --verbose shows it" : "detail: " + OneLine(e.Detail));
        }

        if (!string.IsNullOrWhiteSpace(e.Hint))
        {
            parts.Add("hint: " + OneLine(e.Hint));
        }

        string? where = string.Join(", ", new[]
        {
            e.SchemaName is null ? null : "schema " + e.SchemaName,
            e.TableName is null ? null : "table " + e.TableName,
            e.ColumnName is null ? null : "column " + e.ColumnName,
            e.ConstraintName is null ? null : "constraint " + e.ConstraintName,
        }.Where(p => p is not null));
        if (where.Length > 0)
        {
            parts.Add(where);
        }

        return $"{e.SqlState}: {e.MessageText}" + (parts.Count == 0 ? "" : " (" + string.Join("; ", parts) + ")");
    }

    private static string OneLine(string text) => string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
}
