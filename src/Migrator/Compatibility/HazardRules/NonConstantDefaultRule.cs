using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>SQL Server: a column added with a default that is not a runtime constant (NEWID(), a user's
/// function, IDENTITY, a persisted computed column) is written into every row under the ALTER's
/// schema-modification lock.</summary>
public sealed class NonConstantDefaultRule : HazardRule
{
    public override string Id => RuleIds.NonConstantDefault;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddColumn && e.Declaration is { } d && d.Rewrites(phase.Volatility) && !phase.IsNew(e)
            ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} with {Why(d, phase)}: SQL Server writes every row under a schema-modification lock, and no reader or writer gets through (add it nullable with no default, backfill it in batches, then add the default)")
            : null);

    private static string Why(ColumnDeclaration d, PhaseSql phase)
    {
        if (d.Generated)
        {
            return "values computed for every row (IDENTITY, or a persisted computed column)";
        }

        string call = d.DefaultCalls.First(c => phase.Volatility(c) ?? true);
        return phase.Volatility(call) is null
            ? $"a default calling {call}(), a function Migrator does not know to be a runtime constant"
            : $"a default calling {call}(), which gives each row its own value";
    }
}
