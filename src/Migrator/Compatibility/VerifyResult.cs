namespace Migrator.Compatibility;

/// <summary>What `plan --verify` proved: its findings, and how much it ran and planned in its
/// rolled-back transaction.</summary>
/// <param name="Phases">Pending phases applied, in order.</param>
/// <param name="DdlStatements">Their statements, executed.</param>
/// <param name="AppStatementPlans">App statements planned by PostgreSQL (each version's statements,
/// after each phase that version lives through).</param>
/// <param name="Versions">App versions whose statements were planned.</param>
public sealed record VerifyResult(IReadOnlyList<Finding> Findings, int Phases, int DdlStatements, int AppStatementPlans, int Versions)
{
    /// <summary>One line, in every report format.</summary>
    public string Summary =>
        $"verified in a rolled-back transaction: {Phases} phase(s) applied ({DdlStatements} statement(s)), "
        + $"{AppStatementPlans} app statement plan(s) of {Versions} version(s)";
}
