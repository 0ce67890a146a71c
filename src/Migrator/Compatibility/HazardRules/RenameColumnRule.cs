using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>RENAME COLUMN in expand (contract may rename a shadow column into place).</summary>
public sealed class RenameColumnRule : HazardRule
{
    public override string Id => RuleIds.RenameInMigration;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.RenameColumn && phase.Phase == Phase.Expand && !phase.IsNew(e)
            ? (Severity.Error, $"renames {e.QualifiedTable}.{e.Column} to {e.NewName} in expand: the running version still uses the old name (use the RenameColumn operation)")
            : null);
}
