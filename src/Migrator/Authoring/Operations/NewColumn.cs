namespace Migrator.Authoring.Operations;

/// <summary>A column an operation creates from existing ones.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its PostgreSQL type, as SQL (<c>text</c>, <c>varchar(100)</c>, <c>bigint</c>).</param>
/// <param name="Up">SQL expression over the old row that gives its value.</param>
/// <param name="Nullable">False to make it NOT NULL at contract (proved without a long lock).</param>
public sealed record NewColumn(string Name, string Type, string Up, bool Nullable = true);
