using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>SET NOT NULL without a validated CHECK first.</summary>
public sealed class SetNotNullRule : HazardRule
{
    public override string Id => RuleIds.SetNotNull;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.SetNotNull && !phase.IsNew(e)
            && !phase.Effects.TakeWhile(x => x != e).Any(x => x.Kind == DdlKind.ValidateConstraint && x.Table == e.Table)
            ? (Severity.Warning, $"sets {e.QualifiedTable}.{e.Column} NOT NULL with no validated CHECK (… IS NOT NULL) before it: a full scan under ACCESS EXCLUSIVE")
            : null);
}
