namespace Migrator.Dialects.Postgres;

/// <summary>Quoting helpers for the SQL Migrator writes itself (triggers, ledger, backfill).</summary>
public static class PgSql
{
    /// <summary>A quoted identifier: <c>"name"</c>, embedded quotes doubled. An identifier over 63
    /// bytes, which PostgreSQL would silently truncate, is refused (exit 2).</summary>
    public static string Ident(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new MigratorException(ExitCodes.BadInput, "an identifier may not be empty or contain a NUL character");
        }

        return "\"" + PgNames.Check(name).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A schema-qualified, quoted name: <c>"schema"."name"</c>.</summary>
    public static string Qualified(string schema, string name) => Ident(schema) + "." + Ident(name);

    /// <summary>A string literal: <c>'text'</c>, embedded quotes doubled.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
