using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A foreign key validated while it is added: ADD FOREIGN KEY without NOT VALID, or ADD COLUMN …
/// REFERENCES (which cannot be NOT VALID).</summary>
public sealed class ForeignKeyWithoutNotValidRule : HazardRule
{
    public override string Id => RuleIds.ForeignKeyWithoutNotValid;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => phase.IsNew(e) ? null
            : e.Kind == DdlKind.AddConstraint && e.ConstraintKind == "foreign key" && !e.NotValid
                ? (Severity.Error, $"adds a foreign key on {e.QualifiedTable} without NOT VALID: both tables are scanned under lock (add it NOT VALID, then VALIDATE in a later transaction)")
            : e.Kind == DdlKind.AddColumn && e.Declaration is { References: true }
                ? (Severity.Error, $"adds {e.QualifiedTable}.{e.Column} with an inline REFERENCES: the foreign key is validated at once, locking both tables (add the column, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE)")
            : null);
}
