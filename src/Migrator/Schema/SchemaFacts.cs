namespace Migrator.Schema;

/// <summary>One comparable fact about a schema: an object (<see cref="Key"/>, e.g. "column public.films.title"),
/// the table it belongs to if any (so drift can be matched with what a change alters), and its definition.</summary>
/// <param name="Owner">The relation the fact describes a part of ("schema.name"); null for the relation's own fact and for objects outside relations.</param>
/// <param name="Column">For a column's own facts (its definition, its comment): the column.</param>
public sealed record SchemaFact(string Key, string? Table, string Value, string? Owner = null, string? Column = null);

/// <summary>
/// A <see cref="DatabaseSchema"/> flattened into facts keyed by object, so two schemas compare object by
/// object. Column order is not a fact (a contract that swaps a shadow column moves it to the end); a
/// partition's inherited columns, constraints, indexes and triggers are facts of the partition too.
/// </summary>
public static class SchemaFacts
{
    public static IReadOnlyDictionary<string, SchemaFact> Of(DatabaseSchema schema)
    {
        var facts = new Dictionary<string, SchemaFact>(StringComparer.Ordinal);
        void Add(string key, string? table, string value, string? owner = null, string? column = null) => facts[key] = new SchemaFact(key, table, value, owner, column);

        foreach (string name in schema.Schemas)
        {
            Add($"schema {name}", null, "exists");
        }

        foreach (var extension in schema.Extensions)
        {
            Add($"extension {extension.Name}", null, $"version {extension.Version} in schema {extension.Schema}");
        }

        foreach (var type in schema.Types)
        {
            Add($"{type.Kind} {type.Schema}.{type.Name}", null, type.Labels is { } labels ? "(" + string.Join(", ", labels.Select(l => $"'{l}'")) + ")" : type.Definition ?? "");
        }

        foreach (var sequence in schema.Sequences)
        {
            Add($"sequence {sequence.Schema}.{sequence.Name}", null,
                $"{sequence.Type} start {sequence.Start} increment {sequence.Increment} min {sequence.Min} max {sequence.Max}{(sequence.Cycle ? " cycle" : "")}{(sequence.OwnedBy is null ? "" : " owned by " + sequence.OwnedBy)}");
        }

        // A partition's facts belong to its root table: what alters the parent reaches every partition.
        var parents = schema.Tables.Where(t => t.PartitionOf is not null).ToDictionary(t => t.Qualified, t => t.PartitionOf!, StringComparer.Ordinal);
        string Root(string table) => parents.TryGetValue(table, out string? parent) ? Root(parent) : table;
        foreach (var table in schema.Tables)
        {
            string t = Root(table.Qualified);
            string shape = table.Kind
                + (table.PartitionKey is null ? "" : " by " + table.PartitionKey)
                + (table.PartitionOf is null ? "" : $" partition of {table.PartitionOf} {table.PartitionBound}")
                + (table.Inherits.Count == 0 ? "" : " inherits " + string.Join(", ", table.Inherits));
            string q = table.Qualified;
            Add($"table {q}", t, shape);
            if (table.Comment is not null)
            {
                Add($"comment on table {q}", t, table.Comment, q);
            }

            foreach (var column in table.Columns)
            {
                Add($"column {q}.{column.Name}", t, Describe(column), q, column.Name);
                if (column.Comment is not null)
                {
                    Add($"comment on column {q}.{column.Name}", t, column.Comment, q, column.Name);
                }
            }

            foreach (var constraint in table.Constraints)
            {
                Add($"constraint {q}.{constraint.Name}", t, constraint.Definition + (constraint.Validated ? "" : " (not validated)"), q);
            }

            foreach (var index in table.Indexes)
            {
                Add($"index {table.Schema}.{index.Name}", t, index.Definition + (index.Valid ? "" : " (invalid)"), q);
            }

            foreach (var trigger in table.Triggers)
            {
                Add($"trigger {q}.{trigger.Name}", t, trigger.Definition + (trigger.Enabled == "O" ? "" : $" (enabled {trigger.Enabled})"), q);
            }
        }

        foreach (var view in schema.Views)
        {
            Add($"{(view.Materialized ? "materialized view" : "view")} {view.Qualified}", view.Qualified, view.Definition.Trim());
            if (view.Comment is not null)
            {
                Add($"comment on view {view.Qualified}", view.Qualified, view.Comment, view.Qualified);
            }

            foreach (var index in view.Indexes)
            {
                Add($"index {view.Schema}.{index.Name}", view.Qualified, index.Definition + (index.Valid ? "" : " (invalid)"), view.Qualified);
            }
        }

        foreach (var function in schema.Functions)
        {
            Add($"{function.Kind} {function.Schema}.{function.Name}({function.Arguments})", null, function.Definition?.Trim() ?? "");
        }

        return facts;
    }

    /// <summary>Facts as JSON, for the ledger's schema_state.</summary>
    public static string Serialize(IReadOnlyDictionary<string, SchemaFact> facts) =>
        System.Text.Json.JsonSerializer.Serialize(new Stored(Format, [.. facts.Values.OrderBy(f => f.Key, StringComparer.Ordinal)]));

    /// <summary>Facts written by <see cref="Serialize"/>.</summary>
    public static IReadOnlyDictionary<string, SchemaFact> Parse(string json)
    {
        var stored = System.Text.Json.JsonSerializer.Deserialize<Stored>(json);
        if (stored?.Format != Format)
        {
            throw new MigratorException(ExitCodes.BadInput, $"the schema recorded in the ledger has format '{stored?.Format}'; this Migrator reads '{Format}': upgrade the tool");
        }

        return stored.Facts.ToDictionary(f => f.Key, StringComparer.Ordinal);
    }

    private const string Format = "migrator-facts/1";

    private sealed record Stored(string Format, IReadOnlyList<SchemaFact> Facts);

    /// <summary>A column as one line: type, NOT NULL, default, identity, generated, collation.</summary>
    public static string Describe(ColumnInfo column) =>
        column.Type
        + (column.Collation is null ? "" : " collate " + column.Collation)
        + (column.NotNull ? " not null" : "")
        + (column.Default is null ? "" : " default " + column.Default)
        + (column.Identity is null ? "" : $" generated {column.Identity} as identity")
        + (column.Generated is null ? "" : $" generated always as ({column.Generated}) stored");
}
