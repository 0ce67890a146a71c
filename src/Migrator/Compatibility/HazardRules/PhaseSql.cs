using Migrator.Analyzers.Sql;
using Migrator.Authoring;
using Migrator.Planning;

namespace Migrator.Compatibility.HazardRules;

/// <summary>One phase of one change as the hazard rules see it: its steps (each one transaction, or one
/// statement outside any), every statement's SQL and effects, and the schema before the phase. `lint`
/// makes one of a plain .sql migration: no <see cref="Plan"/>, and <see cref="Phase.Expand"/>, since a
/// plain migration runs while the app version before it is live.</summary>
public sealed record PhaseSql(
    ChangePlan? Plan,
    Phase Phase,
    IReadOnlyList<SqlStep> Steps,
    VisibleSchema Before,
    IReadOnlySet<string> CreatedTables)
{
    public string Name => Phase.ToString().ToLowerInvariant();

    /// <summary>The PostgreSQL major version the SQL will run on (lint's --pg-version); the facts some
    /// rules rest on changed with versions (defaults without a rewrite from 11, ADD VALUE in a transaction from 12).</summary>
    public int PgVersion { get; init; } = 15;

    /// <summary>True when the SQL is T-SQL (the rules word their advice for SQL Server).</summary>
    public bool SqlServer { get; init; }

    /// <summary>Whether a function is volatile: PostgreSQL's own from pg_proc; with a connection, the
    /// database's too. Null for a function nobody knows, which counts as volatile.</summary>
    public Func<string, bool?> Volatility { get; init; } = PgFunctions.IsVolatile;

    /// <summary>Statements that ran before this phase (lint: the earlier files of the same run), for
    /// facts such as which columns an index covers or which constraint was validated.</summary>
    public IReadOnlyList<DdlEffect> Earlier { get; init; } = [];

    /// <summary>True when <see cref="Plan"/> is null: the SQL of a plain migration file. Rules about how
    /// a runner executes SQL (lock_timeout, IF EXISTS) apply only then; Migrator's executor does both.</summary>
    public bool IsPlainMigration => Plan is null;

    /// <summary>The columns an index covers, from its CREATE INDEX in this phase or an earlier one.</summary>
    public IReadOnlyList<string>? IndexColumns(string? schema, string index) =>
        Earlier.Concat(Effects).LastOrDefault(e => e.Kind == DdlKind.CreateIndex && e.IndexName == index && (schema is null || e.Schema is null || e.Schema == schema))?.KeyColumns;

    /// <summary>True when the table's column is known to allow NULL just before <paramref name="effect"/>: the
    /// schema before (or this phase's own CREATE TABLE) declares it nullable, and no statement since set it
    /// NOT NULL or validated a constraint on the table. Unknown columns are not "known nullable".</summary>
    public bool KnownNullable(DdlEffect effect, string column) =>
        ColumnsBefore(effect)?.GetValueOrDefault(column) is { NotNull: false }
        && !Earlier.Concat(Effects.TakeWhile(e => !ReferenceEquals(e, effect))).Any(e => e.Table == effect.Table && e.Kind == DdlKind.ValidateConstraint);

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

    /// <summary>A column's type just before <paramref name="effect"/>: the schema before the phase with the
    /// phase's earlier statements applied (a file that widens a column, then narrows it, narrows from the wider type).</summary>
    public string? ColumnTypeBefore(DdlEffect effect) =>
        ColumnsBefore(effect)?.GetValueOrDefault(effect.Column ?? "")?.Type;

    /// <summary>The columns of <paramref name="effect"/>'s table just before it, for the effects that need them
    /// (type changes, constraints): computed once per phase in one pass, so a file of thousands of statements
    /// is not replayed once per statement.</summary>
    private IReadOnlyDictionary<string, VisibleSchema.ColumnShape>? ColumnsBefore(DdlEffect effect)
    {
        _columnsBefore ??= SnapshotColumns();
        return _columnsBefore.GetValueOrDefault(effect);
    }

    private Dictionary<DdlEffect, IReadOnlyDictionary<string, VisibleSchema.ColumnShape>?>? _columnsBefore;

    private Dictionary<DdlEffect, IReadOnlyDictionary<string, VisibleSchema.ColumnShape>?> SnapshotColumns()
    {
        var snapshots = new Dictionary<DdlEffect, IReadOnlyDictionary<string, VisibleSchema.ColumnShape>?>(ReferenceEqualityComparer.Instance);
        var schema = Before.Clone();
        foreach (var e in Effects)
        {
            if (e.Kind is DdlKind.AlterColumnType or DdlKind.AddConstraint)
            {
                snapshots[e] = schema.Find(e.Schema, e.Table ?? "")?.Columns.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            }

            schema.Apply(e);
        }

        return snapshots;
    }

    /// <summary>True for a table this change creates: locking it blocks no one.</summary>
    public bool IsNew(DdlEffect effect) => CreatedTables.Contains(VisibleSchema.Key(effect.Schema, effect.Table ?? ""));
}
