using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD CONSTRAINT … EXCLUDE on an existing table: its index is built, and every row checked, under
/// ACCESS EXCLUSIVE; unlike UNIQUE there is no USING INDEX or NOT VALID way round.</summary>
public sealed class ExclusionConstraintRule : HazardRule
{
    public override string Id => RuleIds.ExclusionConstraint;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "exclude" && !phase.IsNew(e)
            ? (Severity.Error, $"adds an EXCLUDE constraint on {e.QualifiedTable}: its index is built and every row checked under ACCESS EXCLUSIVE, blocking reads and writes (create a new table with it and move rows, or accept downtime)")
            : null);
}
