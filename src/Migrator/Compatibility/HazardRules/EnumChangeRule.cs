using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>ALTER TYPE on an enum: renaming a value or the type breaks a running version that uses the old
/// name; adding a value is a catalog change (noted: a running version may read a value it does not know),
/// refused inside a transaction block before PostgreSQL 12.</summary>
public sealed class EnumChangeRule : HazardRule
{
    public override string Id => RuleIds.EnumChange;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        from step in phase.Steps
        from statement in step
        from e in statement.Effects
        where e.Kind == DdlKind.AlterEnum && e.Detail != "owner or schema"
        let hit = Judge(phase, step, e)
        select Hit(phase, e, hit.Severity, hit.Message);

    private static (Severity Severity, string Message) Judge(PhaseSql phase, SqlStep step, DdlEffect e) => e.Detail switch
    {
        "add value" or "add value before/after" when phase.PgVersion < 12 && step.InTransaction =>
            (Severity.Error, $"adds a value to {e.QualifiedTable} inside a transaction block: PostgreSQL {phase.PgVersion} refuses ALTER TYPE … ADD VALUE there (12 and later allow it)"),
        "add value" or "add value before/after" =>
            (Severity.Info, $"adds a value to type {e.QualifiedTable}: a running version may read a value it does not know"),
        "rename value" => (Severity.Error, $"renames a value of type {e.QualifiedTable}: a running version still writes and compares the old one (add the new value, migrate rows, retire the old one)"),
        "rename" => (Severity.Error, $"renames type {e.QualifiedTable}: a running version's casts to the old name fail"),
        _ => (Severity.Warning, $"changes type {e.QualifiedTable}: a running version may read a value it does not know"),
    };
}
