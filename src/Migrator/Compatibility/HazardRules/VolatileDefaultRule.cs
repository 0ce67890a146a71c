using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD COLUMN with a volatile default, serial, identity or stored generated column.</summary>
public sealed class VolatileDefaultRule : HazardRule
{
    public override string Id => RuleIds.VolatileDefault;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddColumn && e.Declaration is { VolatileDefault: true } && !phase.IsNew(e)
            ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} with a volatile default ({e.Type}): every row is rewritten under ACCESS EXCLUSIVE")
            : null);
}
