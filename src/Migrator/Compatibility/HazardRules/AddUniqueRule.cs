using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A UNIQUE constraint whose index is built under the ALTER's lock: ADD UNIQUE without USING INDEX,
/// or ADD COLUMN … UNIQUE.</summary>
public sealed class AddUniqueRule : HazardRule
{
    public override string Id => RuleIds.AddUnique;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => phase.IsNew(e) ? null
            : e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "unique" && !e.UsingIndex
                ? (Severity.Error, $"adds a UNIQUE constraint on {e.QualifiedTable} that builds its index under lock: build it CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX")
            : e.Kind == DdlKind.AddColumn && e.Declaration is { Unique: true }
                ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} UNIQUE: its index is built under ACCESS EXCLUSIVE (add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX)")
            : null);
}
