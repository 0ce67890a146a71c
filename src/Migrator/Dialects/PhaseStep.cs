namespace Migrator.Dialects;

/// <summary>
/// One atomic unit of a phase: several statements in one transaction, or one statement that must run
/// outside a transaction. The ledger records each finished step in the same transaction as the step,
/// so a phase that fails part-way resumes at the step that failed and never repeats a finished one.
/// </summary>
public sealed record PhaseStep(IReadOnlyList<PlannedStatement> Statements)
{
    public bool Transactional => Statements.Count != 1 || Statements[0].Transactional;

    /// <summary>Groups statements into steps: consecutive transactional statements share one
    /// transaction; each non-transactional statement is a step of its own.</summary>
    public static IReadOnlyList<PhaseStep> Group(IEnumerable<PlannedStatement> statements)
    {
        var steps = new List<PhaseStep>();
        var batch = new List<PlannedStatement>();
        foreach (var statement in statements)
        {
            if (statement.IsBoundary)
            {
                if (batch.Count > 0)
                {
                    steps.Add(new PhaseStep(batch));
                    batch = [];
                }

                continue;
            }

            if (statement.Transactional)
            {
                batch.Add(statement);
                continue;
            }

            if (batch.Count > 0)
            {
                steps.Add(new PhaseStep(batch));
                batch = [];
            }

            steps.Add(new PhaseStep([statement]));
        }

        if (batch.Count > 0)
        {
            steps.Add(new PhaseStep(batch));
        }

        return steps;
    }
}
