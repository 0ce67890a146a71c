namespace Migrator.Schema;

/// <summary>One difference between the schema Migrator expects and the live one.</summary>
/// <param name="Expected">The definition expected, or null when the object should not exist.</param>
/// <param name="Found">The definition found, or null when the object is missing.</param>
/// <param name="Column">For a column's own facts: the column.</param>
public sealed record DriftItem(string Object, string? Table, string? Expected, string? Found, string? Column = null)
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
    public static IReadOnlyList<DriftItem> Compare(DatabaseSchema expected, DatabaseSchema live) =>
        Compare(SchemaFacts.Of(expected), SchemaFacts.Of(live));

    /// <summary>The differences, object by object; with <paramref name="collapse"/>, a relation that is
    /// new or missing as a whole is one difference, not one per column and index.</summary>
    public static IReadOnlyList<DriftItem> Compare(IReadOnlyDictionary<string, SchemaFact> want, IReadOnlyDictionary<string, SchemaFact> have, bool collapse = true)
    {
        var drift = new List<DriftItem>();
        foreach (var (key, fact) in want)
        {
            if (!have.TryGetValue(key, out var found))
            {
                drift.Add(new DriftItem(key, fact.Table, fact.Value, null, fact.Column));
            }
            else if (found.Value != fact.Value)
            {
                drift.Add(new DriftItem(key, fact.Table, fact.Value, found.Value, fact.Column));
            }
        }

        drift.AddRange(have.Where(h => !want.ContainsKey(h.Key)).Select(h => new DriftItem(h.Key, h.Value.Table, null, h.Value.Value, h.Value.Column)));
        if (!collapse)
        {
            return drift;
        }

        var whole = drift.Where(d => d.Expected is null || d.Found is null)
            .Select(d => d.Object.Split(' ') is [.., var name] && (want.TryGetValue(d.Object, out var f) || have.TryGetValue(d.Object, out f)) && f.Owner is null ? name : null)
            .Where(n => n is not null)
            .ToHashSet(StringComparer.Ordinal);
        return [.. drift
            .Where(d => (want.GetValueOrDefault(d.Object) ?? have[d.Object]).Owner is not { } owner || !whole.Contains(owner))
            .OrderBy(d => d.Object, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The schema Migrator expects after a phase: the live one, except that drift found before the phase
    /// (<paramref name="before"/>, uncollapsed, against <paramref name="expected"/>) and still there is
    /// kept as drift. A phase never makes a manual change part of the record; only `baseline --replace`
    /// does.
    /// </summary>
    public static Dictionary<string, SchemaFact> KeepDrift(IReadOnlyDictionary<string, SchemaFact> after, IReadOnlyList<DriftItem> before, IReadOnlyDictionary<string, SchemaFact> expected)
    {
        var result = new Dictionary<string, SchemaFact>(after, StringComparer.Ordinal);
        foreach (var item in before)
        {
            bool stillThere = result.TryGetValue(item.Object, out var now) ? now.Value == item.Found : item.Found is null;
            if (!stillThere)
            {
                continue;
            }

            if (item.Expected is null)
            {
                result.Remove(item.Object);
            }
            else
            {
                result[item.Object] = expected[item.Object];
            }
        }

        return result;
    }
}
