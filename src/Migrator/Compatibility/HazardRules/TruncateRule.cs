using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>TRUNCATE: CASCADE empties tables the statement does not name (an error); a plain TRUNCATE of
/// named tables is deliberate, so it is only noted.</summary>
public sealed class TruncateRule : HazardRule
{
    public override string Id => RuleIds.Truncate;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind != DdlKind.Truncate || phase.IsNew(e) ? null
            : e.Cascade
                ? (Severity.Error, $"truncates {e.QualifiedTable} with CASCADE: every table with a foreign key to it is emptied too, under ACCESS EXCLUSIVE (name the tables, or delete in batches)")
                : (Severity.Info, $"truncates {e.QualifiedTable}: every row goes, under a short ACCESS EXCLUSIVE lock"));
}
