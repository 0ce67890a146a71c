using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DROP TABLE outside contract.</summary>
public sealed class DropTableRule : HazardRule
{
    public override string Id => RuleIds.DropTable;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.DropTable && !phase.IsNew(e)
            ? (phase.Phase == Phase.Expand ? Severity.Error : Severity.Info,
               phase.Phase == Phase.Expand ? $"drops table {e.QualifiedTable} in expand: move it to contract" : $"drops table {e.QualifiedTable} (checked against each live version's usage)")
            : null);
}
