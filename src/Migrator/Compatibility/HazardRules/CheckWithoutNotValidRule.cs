using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A CHECK validated while it is added: ADD CHECK without NOT VALID, ADD COLUMN … CHECK, and
/// ALTER DOMAIN … ADD CONSTRAINT (or SET NOT NULL), which checks every column of the domain's type.</summary>
public sealed class CheckWithoutNotValidRule : HazardRule
{
    public override string Id => RuleIds.CheckWithoutNotValid;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => phase.IsNew(e) ? null
            : e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "check" && !e.NotValid
                ? (Severity.Error, $"adds a CHECK on {e.QualifiedTable} without NOT VALID: a full scan under lock (add it NOT VALID, then VALIDATE in a later transaction)")
            : e.Kind == DdlKind.AddColumn && e.Declaration is { Check: true }
                ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} with an inline CHECK: every row is checked under ACCESS EXCLUSIVE (add the column, then the CHECK NOT VALID, then VALIDATE)")
            : e.Kind == DdlKind.AddDomainConstraint && e.ConstraintKind is not null && !e.NotValid
                ? (Severity.Error, $"adds a {e.ConstraintKind} constraint to domain {e.QualifiedTable}: every column of that type in every table is checked under lock{(e.ConstraintKind == "check" ? " (add it NOT VALID, then VALIDATE CONSTRAINT)" : "")}")
            : null);
}
