using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>DROP NOT NULL in a plain migration or an expand: the running version was built for a column that
/// is never NULL (a non-nullable property, a NOT NULL assumption in its SQL) and now reads NULLs the new
/// version writes. With usage manifests the checker says which versions map it (MIG0104); this rule is
/// what a plain .sql migration (lint) gets. In a contract no older version is live, so it is fine there.</summary>
public sealed class DropNotNullRule : HazardRule
{
    public override string Id => RuleIds.DropNotNull;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        !phase.IsPlainMigration
            ? []
            : Each(phase, e => e.Kind == DdlKind.DropNotNull && !phase.IsNew(e)
                ? (Severity.Warning, $"drops NOT NULL from {e.QualifiedTable}.{e.Column} while the running version may read it as never NULL: once the new version writes NULLs, the old one fails to map them (drop it in a contract, after every version reading it is nullable-aware)")
                : null);
}
