using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A lock or safety hazard checked on the SQL of every phase; its id is shared with the analyzers.</summary>
public abstract class HazardRule
{
    public abstract string Id { get; }

    public RuleInfo Info => RuleInfo.Get(Id);

    public abstract IEnumerable<Finding> Check(PhaseSql phase);

    protected Finding Hit(PhaseSql phase, DdlEffect effect, Severity severity, string message) =>
        phase.Plan is null
            ? new(Id, severity, message) { Sql = effect.Sql, Offset = effect.Offset }
            : new(Id, severity, $"{phase.Name} of change {phase.Plan.Id}: {message}")
            {
                ChangeId = phase.Plan.Id,
                Phase = phase.Name,
                Sql = effect.Sql,
            };

    /// <summary>For rules that look at effects one by one.</summary>
    protected IEnumerable<Finding> Each(PhaseSql phase, Func<DdlEffect, (Severity Severity, string Message)?> check)
    {
        foreach (var effect in phase.Effects)
        {
            if (check(effect) is { } hit)
            {
                yield return Hit(phase, effect, hit.Severity, hit.Message);
            }
        }
    }
}
