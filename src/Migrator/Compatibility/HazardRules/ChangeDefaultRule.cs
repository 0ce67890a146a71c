using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>SET DEFAULT on a column of an existing table: rows the running version inserts without the
/// column get the new value from now on. A note: usually intended, sometimes a silent behaviour change.</summary>
public sealed class ChangeDefaultRule : HazardRule
{
    public override string Id => RuleIds.ChangeDefault;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        !phase.IsPlainMigration ? []
        : Each(phase, e => e.Kind == DdlKind.SetDefault && !phase.IsNew(e)
            && !phase.Effects.Any(a => a.Kind == DdlKind.AddColumn && a.Table == e.Table && a.Column == e.Column)
            ? (Severity.Info, $"changes the default of {e.QualifiedTable}.{e.Column}: rows the running version inserts without it get the new value")
            : null);
}
