using Dapper;
using Migrator.Dialects;
using Migrator.Planning;
using System.Data.Common;

namespace Migrator.Execution;

/// <summary>Runs a change's contract preconditions on the data as it is now (read-only queries that
/// look for one breaking row each).</summary>
public static class PreconditionCheck
{
    public static async Task<IReadOnlyList<(ContractPrecondition Precondition, bool Holds)>> RunAsync(DbConnection connection, ChangePlan plan)
    {
        var results = new List<(ContractPrecondition, bool)>(plan.Preconditions.Count);
        foreach (var precondition in plan.Preconditions)
        {
            bool broken = await connection.ExecuteScalarAsync<int?>(precondition.Violation) is not null;
            results.Add((precondition, !broken));
        }

        return results;
    }
}
