using Migrator.Analyzers.Sql;

namespace Migrator.Compatibility.HazardRules;

/// <summary>Statements that run together: one transaction (<see cref="InTransaction"/>), or one statement
/// that commits on its own. Each statement comes with its text and what it does.</summary>
public sealed class SqlStep(bool inTransaction) : List<(string Sql, List<DdlEffect> Effects)>
{
    public bool InTransaction => inTransaction;
}
