namespace Migrator.Reports;

/// <summary>
/// One line of a gate's checklist, for people and for pipelines (docs/reports.md, "Gate checks").
/// <see cref="Id"/> is stable between runs (kind, change, table or version), so an analysis step can
/// follow one check over time; <see cref="State"/> tells "not yet" (<c>pending</c>: the pipeline's
/// next steps make it pass) from "never by itself" (<c>blocked</c>: someone must act).
/// </summary>
public sealed record GateCheck(string Id, string Kind, string State, string What)
{
    public const string Ok = "ok";
    public const string Pending = "pending";
    public const string Blocked = "blocked";

    public long? ChangeId { get; init; }

    public string? Version { get; init; }

    /// <summary>For a backfill: rows done so far (the ledger's checkpoints).</summary>
    public long? RowsDone { get; init; }

    /// <summary>For a backfill: the table's estimated rows (pg_class.reltuples, partitions summed).</summary>
    public long? RowsTotal { get; init; }

    /// <summary>For a running backfill: seconds left at its rate so far.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>Rule ids of the findings behind a blocked usage check.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];

    public bool Passed => State == Ok;

    public static string StateOf(bool ok, bool blocked) => ok ? Ok : blocked ? Blocked : Pending;
}
