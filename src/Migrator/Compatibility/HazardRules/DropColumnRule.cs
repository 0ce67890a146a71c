using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DROP COLUMN: expand must be additive; in contract it is expected and the compatibility checker decides per app version.</summary>
public sealed class DropColumnRule : HazardRule
{
    public override string Id => RuleIds.DropColumn;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.DropColumn
            ? (phase.Phase == Phase.Expand ? Severity.Error : Severity.Info,
               phase.Phase == Phase.Expand ? $"drops {e.QualifiedTable}.{e.Column} in expand, while the running version may still use it: move it to contract" : $"drops {e.QualifiedTable}.{phase.ColumnBefore(e)} (checked against each live version's usage)")
            : null);
}
