using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD PRIMARY KEY without USING INDEX.</summary>
public sealed class AddPrimaryKeyRule : HazardRule
{
    public override string Id => RuleIds.AddPrimaryKey;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "primary key" && !e.UsingIndex && !phase.IsNew(e)
            ? (Severity.Error, $"adds a PRIMARY KEY on {e.QualifiedTable} that builds its index under lock: build it CONCURRENTLY, then ADD CONSTRAINT … USING INDEX")
            : null);
}
