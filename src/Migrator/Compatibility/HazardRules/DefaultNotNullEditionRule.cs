using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>SQL Server: ADD … NOT NULL with a constant default is a metadata change on Enterprise,
/// Developer and Azure SQL only; Standard, Web and Express write the default into every row under a
/// schema-modification lock.</summary>
public sealed class DefaultNotNullEditionRule : HazardRule
{
    public override string Id => RuleIds.DefaultNotNullEdition;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddColumn && e.Declaration is { NotNull: true, HasDefault: true } d && !d.Rewrites(phase.Volatility) && !phase.IsNew(e)
            ? (Severity.Warning, $"adds {e.QualifiedTable}.{e.Column} NOT NULL with a constant default: a metadata change on Enterprise, Developer and Azure SQL (SERVERPROPERTY('EngineEdition') 3, 5 or 8), but Standard, Web and Express write it into every row under a schema-modification lock (there: add it nullable, backfill, then prove NOT NULL with a CHECK)")
            : null);
}
