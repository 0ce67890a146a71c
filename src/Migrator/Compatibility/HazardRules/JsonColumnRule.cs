using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A json column (not jsonb): json has no equality operator, so DISTINCT, UNION, GROUP BY and
/// comparisons on it fail, and it is re-parsed on every read.</summary>
public sealed class JsonColumnRule : HazardRule
{
    public override string Id => RuleIds.JsonColumn;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        from e in phase.Effects
        from column in e.Kind == DdlKind.CreateTable ? e.Columns : e.Kind == DdlKind.AddColumn && e.Declaration is { } d ? [d] : []
        where IsJson(column.Type)
        select Hit(phase, e, Severity.Warning, $"adds {e.QualifiedTable}.{column.Name} as json: json has no equality operator, so DISTINCT, UNION and GROUP BY on it fail (use jsonb)");

    private static bool IsJson(string type) =>
        type.Trim().Replace(" ", "", StringComparison.Ordinal) is "json" or "json[]" or "JSON" or "JSON[]";
}
