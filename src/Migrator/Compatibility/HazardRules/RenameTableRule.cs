using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>RENAME TO in expand without a view of the old name.</summary>
public sealed class RenameTableRule : HazardRule
{
    public override string Id => RuleIds.RenameTable;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        phase.Phase != Phase.Expand
            ? []
            : Each(phase, e => e.Kind == DdlKind.RenameTable && !phase.IsNew(e)
                && !phase.Effects.Any(v => v.Kind == DdlKind.CreateView && v.Table == e.Table && v.Schema == e.Schema)
                ? (Severity.Error, $"renames table {e.QualifiedTable} to {e.NewName} in expand with no view keeping the old name")
                : null);
}
