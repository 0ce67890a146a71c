using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A constraint added NOT VALID and validated in the same transaction: the strong lock of the ADD is held through the scan.</summary>
public sealed class ValidateInSameTransactionRule : HazardRule
{
    public override string Id => RuleIds.ValidateInSameTransaction;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        from step in phase.Steps
        let effects = step.SelectMany(s => s.Effects).ToList()
        from validate in effects
        where validate.Kind == DdlKind.ValidateConstraint
            && effects.Any(a => a.Kind == DdlKind.AddConstraint && a.NotValid && a.NewName == validate.NewName)
        select Hit(phase, validate, Severity.Error, $"validates {validate.NewName} in the transaction that added it: commit between ADD … NOT VALID and VALIDATE");
}
