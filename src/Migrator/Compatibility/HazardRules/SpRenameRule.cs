using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>SQL Server: sp_rename changes the name in the catalog only. Procedures, functions, triggers
/// and views that name the old name are not updated and fail when next run.</summary>
public sealed class SpRenameRule : HazardRule
{
    public override string Id => RuleIds.SpRename;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e => e.Kind is DdlKind.RenameColumn or DdlKind.RenameTable && IsSpRename(e) && !phase.IsNew(e) && !Intermediate(phase, e)
            ? (phase.Phase == Phase.Contract ? Severity.Info : Severity.Warning,
                $"sp_rename of {e.QualifiedTable}{(e.Column is null ? "" : "." + e.Column)} to {e.NewName}: procedures, functions, triggers and views that name the old name are not updated and fail when next run (list them from sys.sql_expression_dependencies and change them in the same release)")
            : null);

    /// <summary>A step of Migrator's own column swap (a name it made, or a name renamed again later in
    /// the phase): only the net rename is reported.</summary>
    private static bool Intermediate(PhaseSql phase, DdlEffect effect)
    {
        string from = effect.Column ?? effect.Table ?? "";
        if (from.StartsWith("migrator_", StringComparison.Ordinal) || effect.NewName?.StartsWith("migrator_", StringComparison.Ordinal) == true)
        {
            return true;
        }

        return phase.Effects.SkipWhile(e => !ReferenceEquals(e, effect)).Skip(1)
            .Any(e => e.Kind == effect.Kind && e.Schema == effect.Schema && e.Table == (effect.Kind == DdlKind.RenameTable ? effect.NewName : effect.Table)
                && (effect.Kind == DdlKind.RenameTable || e.Column == effect.NewName));
    }

    private static bool IsSpRename(DdlEffect effect) =>
        effect.Sql.Contains("sp_rename", StringComparison.OrdinalIgnoreCase);
}
