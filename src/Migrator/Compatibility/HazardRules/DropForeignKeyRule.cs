using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DROP CONSTRAINT of a foreign key (known from an earlier statement, or named like one: *_fkey,
/// fk_*): the database stops enforcing the relation, and the running version may rely on it.</summary>
public sealed class DropForeignKeyRule : HazardRule
{
    public override string Id => RuleIds.DropForeignKey;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        !phase.IsPlainMigration ? []
        : Each(phase, e => e.Kind == DdlKind.DropConstraint && e.NewName is { } name && IsForeignKey(phase, name)
            ? (Severity.Info, $"drops foreign key {name} of {e.QualifiedTable}: the relation is no longer enforced, and rows the running version writes may now break it")
            : null);

    private static bool IsForeignKey(PhaseSql phase, string name) =>
        phase.Earlier.Concat(phase.Effects).Any(a => a.Kind == DdlKind.AddConstraint && a.ConstraintKind == "foreign key" && a.NewName == name)
        || name.EndsWith("_fkey", StringComparison.OrdinalIgnoreCase) || name.StartsWith("fk_", StringComparison.OrdinalIgnoreCase);
}
