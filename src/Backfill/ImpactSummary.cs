namespace Migrator.Backfill;

/// <summary>What the app saw of one batch (<see cref="AppImpact"/>).</summary>
/// <param name="Blocked">Client backends waiting, just before the batch commits, on a lock it holds:
/// every app write that ran into the batch's rows is still waiting then.</param>
/// <param name="AppConnections">Other client connections that ran something in the last second (or are
/// in a statement or a transaction now): the app is there.</param>
/// <param name="Contended">Of those, the ones in a statement waiting on LWLock, BufferPin or IO.</param>
/// <param name="ProbeRatio">The latency probe's time during the batch over its time before the backfill
/// (null without a probe).</param>
/// <param name="Failed">Why the probe failed, if it did (counts as impact).</param>
public sealed record ImpactSummary(int Blocked, int AppConnections, int Contended, double? ProbeRatio = null, string? Failed = null)
{
    /// <summary>The database's committed and rolled-back transactions so far (pg_stat_database), or null.</summary>
    public long? Transactions { get; init; }

    /// <summary>Other client connections in a statement at that moment (state active) and not waiting on a
    /// lock, or null when not sampled: the pacing tells a light app (no statement in flight at nearly every
    /// look) from a busy one. A statement waiting on a lock takes no CPU; one stuck behind a batch is in
    /// <see cref="Blocked"/>.</summary>
    public int? Active { get; init; }

    /// <summary>The backfill's other workers (connections named <see cref="AppImpact.WorkerName"/>) that ran
    /// something in the last second, or null when not sampled: their commits are in the transaction
    /// counter too, and are not the app's.</summary>
    public int? Workers { get; init; }

    /// <summary>Of <see cref="AppConnections"/>, those whose client is on the database's host, or may be
    /// (<see cref="AppImpact.LocalClient"/>), or null when not sampled: an app with none of them runs on
    /// other machines, and its clients do not share the database's cores with the backfill.</summary>
    public int? Local { get; init; }

    /// <summary>The app was there.</summary>
    public bool AppPresent => AppConnections > 0 || Blocked > 0;

    /// <summary>The probe went over the bound, or failed. (Lock waits are judged over a window of batches:
    /// see <see cref="BackfillPacer"/>.)</summary>
    public bool ProbeFelt(double maxAppImpact) => ProbeRatio > maxAppImpact || Failed is not null;
}
