using Migrator.Analyzers.Sql;
using Migrator.Authoring;
using Migrator.Planning;

namespace Migrator.Compatibility.HazardRules;

/// <summary>One phase of one change as the hazard rules see it: its steps (each one transaction, or one
/// statement outside any), every statement's SQL and effects, and the schema before the phase.</summary>
public sealed record PhaseSql(
    ChangePlan Plan,
    Phase Phase,
    IReadOnlyList<List<(string Sql, List<DdlEffect> Effects)>> Steps,
    VisibleSchema Before,
    IReadOnlySet<string> CreatedTables)
{
    public string Name => Phase.ToString().ToLowerInvariant();

    public IEnumerable<DdlEffect> Effects => Steps.SelectMany(s => s).SelectMany(s => s.Effects);

    /// <summary>The name a column had before the phase, following the phase's renames back (a contract
    /// renames the old column aside before dropping it).</summary>
    public string ColumnBefore(DdlEffect effect)
    {
        string name = effect.Column ?? "";
        foreach (var earlier in Effects.TakeWhile(e => !ReferenceEquals(e, effect)).Reverse())
        {
            if (earlier.Kind == DdlKind.RenameColumn && earlier.Table == effect.Table && earlier.Schema == effect.Schema && earlier.NewName == name && earlier.Column is not null)
            {
                name = earlier.Column;
            }
        }

        return name;
    }

    /// <summary>True for a table this change creates: locking it blocks no one.</summary>
    public bool IsNew(DdlEffect effect) => CreatedTables.Contains(VisibleSchema.Key(effect.Schema, effect.Table ?? ""));
}
