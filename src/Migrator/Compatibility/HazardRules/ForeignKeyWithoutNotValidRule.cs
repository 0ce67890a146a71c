using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD FOREIGN KEY without NOT VALID.</summary>
public sealed class ForeignKeyWithoutNotValidRule : HazardRule
{
    public override string Id => RuleIds.ForeignKeyWithoutNotValid;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "foreign key" && !e.NotValid && !phase.IsNew(e)
            ? (Severity.Error, $"adds a foreign key on {e.QualifiedTable} without NOT VALID: both tables are scanned under lock")
            : null);
}
