using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD UNIQUE without USING INDEX.</summary>
public sealed class AddUniqueRule : HazardRule
{
    public override string Id => RuleIds.AddUnique;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "unique" && !e.UsingIndex && !phase.IsNew(e)
            ? (Severity.Error, $"adds a UNIQUE constraint on {e.QualifiedTable} that builds its index under lock: build it CONCURRENTLY, then ADD CONSTRAINT … USING INDEX")
            : null);
}
