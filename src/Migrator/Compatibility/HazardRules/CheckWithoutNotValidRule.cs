using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD CHECK without NOT VALID.</summary>
public sealed class CheckWithoutNotValidRule : HazardRule
{
    public override string Id => RuleIds.CheckWithoutNotValid;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "check" && !e.NotValid && !phase.IsNew(e)
            ? (Severity.Error, $"adds a CHECK on {e.QualifiedTable} without NOT VALID: a full scan under lock")
            : null);
}
