namespace Migrator.Schema;

/// <summary>One difference between the schema Migrator expects and the live one.</summary>
/// <param name="Expected">The definition expected, or null when the object should not exist.</param>
/// <param name="Found">The definition found, or null when the object is missing.</param>
public sealed record DriftItem(string Object, string? Table, string? Expected, string? Found)
{
    public override string ToString() => (Expected, Found) switch
    {
        (null, _) => $"{Object}: not expected, found {Found}",
        (_, null) => $"{Object}: expected {Expected}, missing",
        _ => $"{Object}: expected {Expected}, found {Found}",
    };
}

/// <summary>Compares two schemas object by object (<see cref="SchemaFacts"/>).</summary>
public static class SchemaDrift
{
    public static IReadOnlyList<DriftItem> Compare(DatabaseSchema expected, DatabaseSchema live)
    {
        var want = SchemaFacts.Of(expected);
        var have = SchemaFacts.Of(live);
        var drift = new List<DriftItem>();
        foreach (var (key, fact) in want)
        {
            if (!have.TryGetValue(key, out var found))
            {
                drift.Add(new DriftItem(key, fact.Table, fact.Value, null));
            }
            else if (found.Value != fact.Value)
            {
                drift.Add(new DriftItem(key, fact.Table, fact.Value, found.Value));
            }
        }

        drift.AddRange(have.Where(h => !want.ContainsKey(h.Key)).Select(h => new DriftItem(h.Key, h.Value.Table, null, h.Value.Value)));

        // A relation that is new or missing as a whole is one difference, not one per column and index.
        var whole = drift.Where(d => d.Expected is null || d.Found is null)
            .Select(d => d.Object.Split(' ') is [.., var name] && (want.TryGetValue(d.Object, out var f) || have.TryGetValue(d.Object, out f)) && f.Owner is null ? name : null)
            .Where(n => n is not null)
            .ToHashSet(StringComparer.Ordinal);
        return [.. drift
            .Where(d => (want.GetValueOrDefault(d.Object) ?? have[d.Object]).Owner is not { } owner || !whole.Contains(owner))
            .OrderBy(d => d.Object, StringComparer.Ordinal)];
    }
}
