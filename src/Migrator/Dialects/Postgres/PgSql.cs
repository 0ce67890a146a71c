namespace Migrator.Dialects.Postgres;

/// <summary>Quoting helpers for the SQL Migrator writes itself (triggers, ledger, backfill).</summary>
public static class PgSql
{
    /// <summary>A quoted identifier: <c>"name"</c>, embedded quotes doubled.</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A schema-qualified, quoted name: <c>"schema"."name"</c>.</summary>
    public static string Qualified(string schema, string name) => Ident(schema) + "." + Ident(name);

    /// <summary>A string literal: <c>'text'</c>, embedded quotes doubled.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
