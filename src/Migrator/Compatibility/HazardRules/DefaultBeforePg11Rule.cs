using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD COLUMN … DEFAULT on PostgreSQL 10 and earlier, where any default (even a constant)
/// rewrites the table under ACCESS EXCLUSIVE. Lint's --pg-version says which version the SQL runs on.</summary>
public sealed class DefaultBeforePg11Rule : HazardRule
{
    public override string Id => RuleIds.DefaultBeforePg11;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        phase.PgVersion >= 11
            ? []
            : Each(phase, e => e.Kind == DdlKind.AddColumn && e.Declaration is { HasDefault: true } && !phase.IsNew(e)
                ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} with a default on PostgreSQL {phase.PgVersion}: before 11 every row is rewritten under ACCESS EXCLUSIVE (add it without a default, set the default, backfill in batches)")
                : null);
}
