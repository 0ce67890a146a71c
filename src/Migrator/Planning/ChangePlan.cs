using System.Security.Cryptography;
using System.Text;
using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Dialects;

namespace Migrator.Planning;

/// <summary>Everything one change will run: its expand and contract steps and its backfills.</summary>
public sealed record ChangePlan(
    ChangeInfo Change,
    IReadOnlyList<string> Operations,
    IReadOnlyList<PhaseStep> Expand,
    IReadOnlyList<BackfillSpec> Backfills,
    IReadOnlyList<PhaseStep> Contract)
{
    /// <summary>Steps that undo the expand, or empty when <see cref="RollbackUnavailable"/> says why not.</summary>
    public IReadOnlyList<PhaseStep> Rollback { get; init; } = [];

    /// <summary>Why this change cannot be rolled back, or null when it can.</summary>
    public string? RollbackUnavailable { get; init; }

    /// <summary>What the contract's validations need to hold (checked by `gate`).</summary>
    public IReadOnlyList<ContractPrecondition> Preconditions { get; init; } = [];

    /// <summary>The tables and columns the change alters.</summary>
    public IReadOnlyList<Authoring.Operations.SchemaTarget> Targets { get; init; } = [];

    /// <summary>Earlier changes that alter the same tables or columns: this one may expand only once
    /// each of them is settled (<see cref="ChangeStates.IsSettled"/>).</summary>
    public IReadOnlyList<(long Id, string Target)> WaitsFor { get; init; } = [];

    public long Id => Change.Id;

    public bool HasBackfill => Backfills.Count > 0;

    public IReadOnlyList<PhaseStep> Steps(Phase phase) => phase switch
    {
        Phase.Expand => Expand,
        Phase.Contract => Contract,
        Phase.Rollback => Rollback,
        _ => [],
    };

    /// <summary>The SQL of a phase as one text (for display and checksums).</summary>
    public string Sql(Phase phase) => phase == Phase.Backfill
        ? string.Join("\n", Backfills.Select(b => $"-- backfill {b.Schema}.{b.Table} by {b.Key ?? "the primary key"}: SET {b.Set} WHERE {b.Pending}"))
        : string.Join("\n-- commit\n", Steps(phase).Select(s => string.Join("\n", s.Statements.Select(x => x.Sql))));

    /// <summary>SHA-256 of the phase's SQL: recorded in the ledger when the phase starts, so a change
    /// edited after it ran is detected.</summary>
    public string Checksum(Phase phase) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql(phase))));
}
