using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A PRIMARY KEY that builds its index under lock (ADD PRIMARY KEY without USING INDEX, ADD COLUMN …
/// PRIMARY KEY), or one added USING INDEX over columns known to allow NULL: PostgreSQL then sets NOT NULL
/// itself, a full scan under ACCESS EXCLUSIVE. Columns whose nullability is unknown are not reported.</summary>
public sealed class AddPrimaryKeyRule : HazardRule
{
    public override string Id => RuleIds.AddPrimaryKey;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e =>
        {
            if (phase.IsNew(e))
            {
                return null;
            }

            if (e.Kind == DdlKind.AddColumn && e.Declaration is { PrimaryKey: true })
            {
                return (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} as PRIMARY KEY: the column is filled and its index built under ACCESS EXCLUSIVE");
            }

            if (e.Kind != DdlKind.AddConstraint || e.ConstraintKind != "primary key")
            {
                return null;
            }

            if (!e.UsingIndex)
            {
                return (Severity.Error, $"adds a PRIMARY KEY on {e.QualifiedTable} that builds its index under lock: build it CONCURRENTLY, then ADD CONSTRAINT … PRIMARY KEY USING INDEX");
            }

            var columns = e.IndexName is null ? null : phase.IndexColumns(e.Schema, e.IndexName);
            var nullable = columns?.Where(c => phase.KnownNullable(e, c)).ToList();
            return nullable is { Count: > 0 }
                ? (Severity.Error, $"adds a PRIMARY KEY USING INDEX on {e.QualifiedTable} over {string.Join(", ", nullable)}, which allow NULL: PostgreSQL sets NOT NULL itself, a full scan under ACCESS EXCLUSIVE (first CHECK (… IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL)")
                : null;
        });
}
