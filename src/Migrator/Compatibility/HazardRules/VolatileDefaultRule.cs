using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ADD COLUMN with a volatile default (or one calling a function not known to be stable),
/// serial, identity or stored generated column.</summary>
public sealed class VolatileDefaultRule : HazardRule
{
    public override string Id => RuleIds.VolatileDefault;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind == DdlKind.AddColumn && e.Declaration is { } d && d.Rewrites(phase.Volatility) && !phase.IsNew(e)
            ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} with {Why(d, phase)}: every row is rewritten under ACCESS EXCLUSIVE (add it nullable with no default, backfill it in batches, then set the default)")
            : null);

    private static string Why(ColumnDeclaration d, PhaseSql phase)
    {
        if (d.Generated)
        {
            return $"values computed for every row ({d.Type}, identity or GENERATED … STORED)";
        }

        string call = d.DefaultCalls.First(c => phase.Volatility(c) ?? true);
        return phase.Volatility(call) is null
            ? $"a default calling {call}(), a function PostgreSQL does not define, so counted as volatile (lint with a connection to read its pg_proc volatility)"
            : $"a default calling the volatile function {call}()";
    }
}
