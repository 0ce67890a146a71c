namespace Migrator.Dialects;

/// <summary>An index as an operation asks for it: <see cref="Columns"/> are column names, or
/// expressions where they hold a parenthesis; <see cref="Where"/> makes it partial (filtered);
/// <see cref="Method"/> is an access method (PostgreSQL's USING).</summary>
public sealed record IndexSpec(string Schema, string Table, string Name, IReadOnlyList<string> Columns, bool Unique, string? Where, string? Method);
