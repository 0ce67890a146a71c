using Migrator.Analyzers;
using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>CREATE / DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY inside a transaction: PostgreSQL rejects it.</summary>
public sealed class ConcurrentlyInTransactionRule : HazardRule
{
    public override string Id => RuleIds.ConcurrentlyInTransaction;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        from step in phase.Steps
        where step.InTransaction
        from statement in step
        from effect in statement.Effects
        where effect.Concurrently && effect.Kind is DdlKind.CreateIndex or DdlKind.DropIndex or DdlKind.Reindex
        select Hit(phase, effect, Severity.Error, $"runs {Statement(effect.Kind)} CONCURRENTLY inside a transaction block: PostgreSQL refuses it (run it alone, outside BEGIN … COMMIT)");

    private static string Statement(DdlKind kind) => kind switch
    {
        DdlKind.CreateIndex => "CREATE INDEX",
        DdlKind.DropIndex => "DROP INDEX",
        _ => "REINDEX",
    };
}
