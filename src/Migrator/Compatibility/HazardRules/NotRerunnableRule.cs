using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>In a plain migration, a statement outside any transaction, with more after it, that fails if run a second time (CREATE
/// without IF NOT EXISTS, DROP without IF EXISTS): when the migration fails half-way, the statements that
/// committed make the retry fail. Migrator's phases resume at the failed step, so this is for lint only.</summary>
public sealed class NotRerunnableRule : HazardRule
{
    public override string Id => RuleIds.NotRerunnable;

    public override IEnumerable<Finding> Check(PhaseSql phase)
    {
        if (!phase.IsPlainMigration)
        {
            yield break;
        }

        // Only a statement that commits before a later one can fail on the retry: the file's last step
        // never ran twice.
        var steps = phase.Steps.ToList();
        foreach (var step in steps.Take(steps.Count - 1).Where(s => !s.InTransaction))
        {
            foreach (var e in step.SelectMany(s => s.Effects))
            {
                if (!e.IfExists && e.Kind is DdlKind.CreateIndex or DdlKind.DropIndex or DdlKind.CreateTable or DdlKind.DropTable or DdlKind.AddColumn or DdlKind.DropColumn)
                {
                    yield return Hit(phase, e, Severity.Info, $"{Verb(e)} without IF {(e.Kind is DdlKind.CreateIndex or DdlKind.CreateTable or DdlKind.AddColumn ? "NOT " : "")}EXISTS outside a transaction, before more statements: if one of them fails, running the file again fails here");
                }
            }
        }
    }

    private static string Verb(DdlEffect e) => e.Kind switch
    {
        DdlKind.CreateIndex => $"creates index {e.IndexName ?? "(unnamed)"}",
        DdlKind.DropIndex => $"drops index {e.QualifiedTable}",
        DdlKind.CreateTable => $"creates table {e.QualifiedTable}",
        DdlKind.DropTable => $"drops table {e.QualifiedTable}",
        DdlKind.AddColumn => $"adds {e.QualifiedTable}.{e.Column}",
        _ => $"drops {e.QualifiedTable}.{e.Column}",
    };
}
