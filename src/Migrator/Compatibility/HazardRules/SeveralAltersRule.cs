using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>Several ALTER TABLE statements on one table in one transaction where one statement with several
/// actions would do: each may scan or rewrite the table again.</summary>
public sealed class SeveralAltersRule : HazardRule
{
    private static readonly HashSet<DdlKind> Mergeable =
    [
        DdlKind.AddColumn, DdlKind.DropColumn, DdlKind.AlterColumnType, DdlKind.SetNotNull, DdlKind.DropNotNull, DdlKind.SetDefault,
        DdlKind.DropDefault,
    ];

    public override string Id => RuleIds.SeveralAlters;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        !phase.IsPlainMigration ? []
        : from step in phase.Steps
          where step.InTransaction
          from byTable in step.SelectMany(s => s.Effects).Where(e => Mergeable.Contains(e.Kind) && !phase.IsNew(e)).GroupBy(e => e.QualifiedTable)
          let statements = byTable.Select(e => e.Offset).Distinct().Count()
          where statements > 1
          select Hit(phase, byTable.Last(), Severity.Info, $"is one of {statements} ALTER TABLE statements on {byTable.Key} in one transaction: each may scan or rewrite it again; one ALTER TABLE with several actions does it once");
}
