namespace Migrator.Backfill;

/// <summary>
/// Decides the size of the next batch and how long to wait before it.
/// <list type="bullet">
/// <item>The size follows the last batch's duration toward a target (at most halving or doubling per
/// batch, within the bounds; a batch short of its size, at the end of a pass, leaves it as it is):
/// <see cref="BackfillOptions.TargetBatchDuration"/>, halved while the app
/// feels the batches. Without a target, batches keep <see cref="BackfillOptions.BatchSize"/>, halved the
/// same way.</item>
/// <item>Impact-aware pacing (<see cref="BackfillOptions.MaxAppImpact"/> = m), from what each batch saw
/// of the app at its commit (<see cref="AppImpact"/>): until the app is seen, and once it has been away
/// for 2 s, batches run back to back. While it is there the backfill runs m/4 of the time (m = 2: half;
/// m ≥ 4: all of it), m/2 while all of its connections come from other hosts (<see cref="AppRemote"/>),
/// or all of the time while the app is light (<see cref="AppLight"/>). When it
/// arrives, batches keep the full target until one of its transactions waits on a batch (an app on other
/// rows never meets the batches' locks); from its first wait on, and whenever it comes back after that, batches
/// start from the smallest target (20 ms) and grow only on evidence: the target doubles once enough
/// of the app's transactions went by since the last verdict to tell that batches twice as large would
/// keep under 0.25 % × m of them waiting on a batch's locks (1 200 with no waiter at m = 2)
/// (<see cref="JudgeLocks"/>). More waiters than that share halve the target (down to 20 ms), which
/// smaller batches cure (a batch's lock waits grow with the rows it holds times how long it holds them);
/// so does a probe over m × its idle time. The duty drops by 30 % (down to 10 %) when the probe is felt,
/// or when lock waits are felt with the target already at 20 ms; otherwise it grows 5 points a batch,
/// and holds while waits since the last verdict await one.</item>
/// <item>The wait keeps the duty, keeps the rate under <see cref="BackfillOptions.MaxRowsPerSecond"/>
/// and honours <see cref="BackfillOptions.BatchDelay"/>.</item>
/// </list>
/// </summary>
internal sealed class BackfillPacer
{
    private static readonly TimeSpan MinAppTarget = TimeSpan.FromMilliseconds(20);

    /// <summary>The least share of time batches keep, however much the app feels them.</summary>
    public const double MinDuty = 0.1;

    /// <summary>How long the app must be away before the pacing goes back to full speed.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private readonly BackfillOptions _options;
    private readonly TimeProvider _time;
    private readonly long _start;
    private long _rows;
    private TimeSpan? _appSeen;
    private TimeSpan _appTarget;

    // Whether any of the app's transactions has waited on a batch of this run.
    private bool _appWaited;

    public BackfillPacer(BackfillOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
        BatchSize = options.TargetBatchDuration is null
            ? options.BatchSize
            : Math.Clamp(options.BatchSize, options.MinBatchSize, options.MaxBatchSize);
        _appTarget = AppTargetCeiling;
    }

    public int BatchSize { get; private set; }

    private TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>The share of time batches may run (1 while the app is away or the pacing is off).</summary>
    public double Duty { get; private set; } = 1;

    /// <summary>True while the pacing sees the app (batches aim at the app target, the duty applies).</summary>
    public bool AppPresent => _appSeen is { } seen && Elapsed - seen < Quiet;

    /// <summary>The duration the next batch is sized for, or null for fixed batches.</summary>
    public TimeSpan? Target => AppPresent && _options.TargetBatchDuration is not null ? _appTarget : _options.TargetBatchDuration;

    /// <summary>The batch target while the app is there and does not feel the batches: the full target.</summary>
    private TimeSpan AppTargetCeiling => _options.TargetBatchDuration ?? TimeSpan.FromMilliseconds(150);

    /// <summary>The share of time batches may run now: 1 without the pacing or while the app is light,
    /// m/2 while it is busy on other hosts only (<see cref="AppRemote"/>), m/4 otherwise.</summary>
    public double DutyCeiling => _options.MaxAppImpact is { } m && !AppLight ? DutyCeilingFor(m, RemoteSoFar) : 1;

    /// <summary>
    /// True while the app is there and every look since it arrived saw all of its connections come from
    /// other hosts (<see cref="ImpactSummary.Local"/>: none on a Unix socket, a loopback address or the
    /// database host's own address, and none whose address is hidden from the backfill's role). Its
    /// clients then do not share the database's cores with the backfill, and the duty ceiling is m/2
    /// (all of the time at the default m = 2): on the 2-core bench machine a writer whose client takes
    /// little CPU (pgbench, in C) kept its p99 at 0.7–2.0× its idle p99 with the backfill running all of
    /// the time (the runs of 2026-12-05), where a .NET writer on the same cores went to 2.7–6.8×
    /// (docs/benchmarks.md). One look that sees a local connection makes the app local until it is away;
    /// so does a look that does not tell (<see cref="ImpactSummary.Local"/> null).
    /// </summary>
    public bool AppRemote => AppPresent && RemoteSoFar;

    private bool RemoteSoFar => _appLocal == false;

    // Whether a look since the app arrived saw a local connection of its (or could not tell); null before
    // any look told.
    private bool? _appLocal;

    /// <summary>How many of the app's last looks decide whether it is light.</summary>
    public const int LightWindow = 10;

    /// <summary>How many looks in a row with no statement of the app's in flight make it light before
    /// there are <see cref="LightWindow"/> of them.</summary>
    public const int LightFirstLooks = 5;

    // Whether an app statement was in flight at each of the last looks while the app was there.
    private readonly Queue<bool> _inFlight = new();

    /// <summary>
    /// True when the app is there but light: at the last <see cref="LightWindow"/> looks (one per batch),
    /// it had a statement in flight at most once, or, before there are ten looks since it arrived, none
    /// at the <see cref="LightFirstLooks"/> or more there are (an app busy half of the time shows none at
    /// five looks one time in 32); so its statements take a small share of the time and the backfill's
    /// CPU is not in their way; batches may then run all of the time (the duty grows back to 1 at 5 points
    /// a batch). A look at which the app's only statements wait on the batch's locks is left out (they
    /// take no CPU, and would not wait without the batch). An app of <see cref="LightRate"/> transactions a
    /// second or more, by the database's counter, is busy whatever its looks show. Lock waits are judged
    /// as for any app. A busy app (a statement in flight at two looks or more of the last ten, or that
    /// many transactions) brings the ceiling back to a busy app's (m/4, or m/2 on other hosts) at once.
    /// </summary>
    public bool AppLight => AppPresent && _sampledLight && !(_appRate >= LightRate);

    // Whether the looks alone (statements in flight) make the app light.
    private bool _sampledLight;

    /// <summary>The app's transactions a second over which it is busy whatever its looks show: a statement
    /// of a fast writer is in flight for a fraction of a millisecond, and one look a batch sees few of
    /// them (a single-row writer as fast as it goes, 5 000–10 000 transactions a second on this project's
    /// 2-core machine, was light by its looks at up to 40 of 48 batches, docs/benchmarks.md). Below it, a
    /// transaction of a tenth of a millisecond of the server's time is under a tenth of a core.</summary>
    public const double LightRate = 1000;

    // The app's transactions a second at the last look, when the counter tells (AppRate).
    private double? _appRate;

    /// <summary>The share of time batches may run while a busy app is there: m/4 when its clients may share
    /// the database's cores, m/2 when they are all on other hosts (<paramref name="remote"/>), at most 1.
    /// (m/4 was chosen by measuring on 2 cores shared by a busy .NET writer and the backfill,
    /// docs/benchmarks.md: half of the time kept the writer's p99 at or under 2× its idle p99 in about
    /// half of the points, at 1.2–2.9× in all; three quarters bought 0.40–0.55 of the single UPDATE's
    /// throughput for 2.0–5.2×. A writer whose client takes little CPU stayed at 0.7–1.8× at every
    /// setting, the pacing off included: what the duty protects is the client's CPU.)</summary>
    public static double DutyCeilingFor(double maxAppImpact, bool remote = false) => Math.Min(1, maxAppImpact / (remote ? 2 : 4));

    /// <summary>True when the app felt the last batch observed (its lock waits or its probe).</summary>
    public bool LastFelt { get; private set; }

    /// <summary>True when the last batch observed cut the duty (the probe was felt, or lock waits were
    /// felt with batches already as small as they go).</summary>
    public bool DutyCut { get; private set; }

    /// <summary>Records a committed batch and what the app saw of it; returns how long to wait before the
    /// next one.</summary>
    public TimeSpan Done(long rows, TimeSpan took, ImpactSummary? impact = null, bool? full = null)
    {
        Observe(rows, took, impact, full);
        return Wait(took);
    }

    /// <summary>Records a committed batch and what the app saw of it: the pacing state and the next size.
    /// <paramref name="full"/>: whether the batch covered its whole size (by default, whether it updated
    /// that many rows; a key-range batch covers its keys whether or not they were pending).</summary>
    public void Observe(long rows, TimeSpan took, ImpactSummary? impact, bool? full = null)
    {
        int size = BatchSize;
        _rows += rows;
        LastFelt = false;
        DutyCut = false;
        DutyHeld = false;
        if (impact is not null && _options.MaxAppImpact is { } m)
        {
            Pace(impact, m, took);
        }

        // A batch short of its size reached the end of its pass or range: its duration says nothing
        // about how long a full batch takes, so the size stays.
        if (Target is { } target && (full ?? (rows > 0 && rows >= size)))
        {
            double factor = Math.Clamp(target.TotalMilliseconds / Math.Max(1, took.TotalMilliseconds), 0.5, 2.0);
            BatchSize = (int)Math.Clamp(BatchSize * factor, _options.MinBatchSize, _options.MaxBatchSize);
        }
    }

    /// <summary>How long to wait after a batch that took <paramref name="took"/>.</summary>
    /// <param name="share">A worker's share of a budget shared with other workers (<see cref="ParallelBackfill"/>),
    /// used for the rest instead of this pacer's own duty.</param>
    public TimeSpan Wait(TimeSpan took, double? share = null)
    {
        var wait = _options.BatchDelay;
        double duty = share ?? Duty;
        if (duty < 1)
        {
            // Run `duty` of the time: the batch took `took`, so rest took × (1 − duty) / duty.
            var rest = took * ((1 - duty) / duty);
            wait = rest > wait ? rest : wait;
        }

        if (_options.MaxRowsPerSecond is { } rate)
        {
            // The earliest moment the rows done so far are within the rate.
            var due = TimeSpan.FromSeconds(_rows / rate) - Elapsed;
            wait = due > wait ? due : wait;
        }

        return wait;
    }

    /// <summary>The share of the app's transactions that may wait on the backfill's locks: 0.25 % × m
    /// (m = 2: half of the 1 % above a p99).</summary>
    public static double LockShareFor(double maxAppImpact) => 0.0025 * maxAppImpact;

    /// <summary>How long a window of looks with no lock wait at all, however few app transactions it
    /// saw, clears the batches to grow (an app that runs few transactions, or sits in one).</summary>
    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(10);

    /// <summary>How many times 1 / share of the app's transactions the evidence for growth gathers at most
    /// before its verdict (2 000 at m = 2), so that it stays about the app as it is now.</summary>
    private const double EvidenceTransactions = 10;

    /// <summary>How far back the database's transaction counter is read for the app's rate.</summary>
    private static readonly TimeSpan RateSpan = TimeSpan.FromSeconds(5);

    private enum LockVerdict
    {
        /// <summary>Too many of the app's transactions waited: shrink.</summary>
        Felt,

        /// <summary>Enough of the app's transactions went by, and few enough waited: the batches may grow.</summary>
        Clear,

        /// <summary>Enough of the app's transactions went by to tell that few enough waited, too few to tell
        /// that batches twice as large would stay under the share: the batches keep their target, the duty
        /// may grow, and the looks go on gathering evidence.</summary>
        Under,

        /// <summary>Too few app transactions yet to tell either way: hold.</summary>
        Unknown,
    }

    // The windows within the share since the target last changed: their waiters and app transactions.
    private int _evidenceBlocked;
    private double _evidenceSeen;

    // The looks since the last verdict: the waiters counted, the looks, and the time they cover.
    private int _windowBlocked;
    private int _windowLooks;
    private TimeSpan _windowSpan;
    private TimeSpan? _lastLook;

    // The database's transaction counter at the looks of the last RateSpan, for the app's rate, and the
    // backfill's own transactions counted in it since the look before.
    private readonly Queue<(TimeSpan At, long Transactions, long Own)> _counter = new();

    /// <summary>The transactions this runner commits or rolls back per batch: the batch's own, plus the
    /// latency probe's and a worker's share of the budget where there are. The backfill's other workers
    /// (<see cref="ImpactSummary.Workers"/>) are taken to run as many; none of them are the app's.</summary>
    public int OwnTransactionsPerBatch { get; init; } = 1;

    /// <summary>True when the duty held at the last batch observed: the app felt it, or some of its
    /// transactions waited on the batches since the last verdict and too few went by yet to judge.</summary>
    public bool DutyHeld { get; private set; }

    /// <summary>
    /// Judges the lock waits since the last verdict. A verdict needs evidence: at least 1 / share of the
    /// app's transactions (200 at m = 2), so that the share can be told (its rate is read from the
    /// database's transaction counter over the last 5 s, less the backfill's own transactions; backends
    /// report the counter about once a second). Then more waiters than <see cref="LockShareFor"/> of them
    /// is felt. Fewer joins the evidence of the windows before it at this target, and that evidence is
    /// clear once it says batches twice as large would stay within the share: the share's upper bound,
    /// (waiters + 3) / transactions (95 % with no waiter, the rule of three), times two, at most the share
    /// allowed (with no waiter, 3 × 2 / share transactions: 1 200 at m = 2). Until then it is under (the
    /// target holds, the duty grows); evidence of 10 / share transactions (2 000) is clear by what it
    /// allows, at least nothing. A batch's lock waits grow with its size, so the batches grow by that
    /// much; doubling asks the fewest transactions per step of growth. Before 1 / share transactions,
    /// three waiters per look on average are felt (several app transactions stuck behind every batch), and
    /// 10 s without a single waiter are clear, twice as large (an app of few transactions); anything else
    /// holds. Without the counter, a look with no waiter is clear, a quarter larger. A verdict of felt or
    /// clear starts the evidence over: the next one judges only what the batches do after it.
    /// </summary>
    private (LockVerdict Verdict, double Growth) JudgeLocks(ImpactSummary impact, double m, TimeSpan took)
    {
        var now = Elapsed;
        _windowBlocked += impact.Blocked;
        _windowLooks++;
        _windowSpan += _lastLook is { } previous ? now - previous : took;
        _lastLook = now;
        double? rate = AppRate(now, impact.Transactions, impact.Workers ?? 0);
        _appRate = rate;
        double share = LockShareFor(m);
        LockVerdict verdict;
        double growth = 1.25;
        if (rate is { } perSecond && perSecond * _windowSpan.TotalSeconds >= 1 / share)
        {
            double seen = perSecond * _windowSpan.TotalSeconds;
            if (_windowBlocked > share * seen)
            {
                verdict = LockVerdict.Felt;
            }
            else
            {
                // Within the share: the window's evidence joins that of the windows before it at this
                // target. How much larger batches would stay under the share: the share allowed over its
                // upper bound by that evidence, (waiters + 3) / transactions; twice as large at most.
                _evidenceBlocked += _windowBlocked;
                _evidenceSeen += seen;
                double allowed = Math.Min(2, share * _evidenceSeen / (_evidenceBlocked + 3));
                verdict = allowed >= 2 || _evidenceSeen >= EvidenceTransactions / share ? LockVerdict.Clear : LockVerdict.Under;
                growth = Math.Max(1, allowed);
                if (verdict == LockVerdict.Under)
                {
                    StartWindow(evidence: false);
                }
            }
        }
        else if (_windowBlocked >= 3 * _windowLooks)
        {
            verdict = LockVerdict.Felt;
        }
        else if (_windowBlocked == 0 && (impact.Transactions is null || _windowSpan >= QuietWindow))
        {
            // No waiter at all: 10 s of them are evidence enough to double; a look without the counter,
            // a quarter.
            verdict = LockVerdict.Clear;
            growth = _windowSpan >= QuietWindow ? 2 : 1.25;
        }
        else
        {
            verdict = LockVerdict.Unknown;
        }

        if (verdict is LockVerdict.Felt or LockVerdict.Clear)
        {
            StartWindow(evidence: true);
        }

        return (verdict, growth);
    }

    /// <summary>Starts a new window of looks, and with <paramref name="evidence"/> (by default) a new
    /// gathering of evidence for growth too.</summary>
    private void StartWindow(bool evidence = true)
    {
        _windowBlocked = 0;
        _windowLooks = 0;
        _windowSpan = TimeSpan.Zero;
        if (evidence)
        {
            _evidenceBlocked = 0;
            _evidenceSeen = 0;
        }
    }

    /// <summary>The app's transactions per second: the counter's rise over the last 5 s of looks (at least
    /// 1 s of them), less the backfill's own transactions in between (<see cref="OwnTransactionsPerBatch"/>
    /// per batch of this runner and of each other worker); null before that or without the counter.</summary>
    private double? AppRate(TimeSpan now, long? transactions, int workers)
    {
        if (transactions is not { } counter)
        {
            return null;
        }

        _counter.Enqueue((now, counter, (long)OwnTransactionsPerBatch * (1 + workers)));
        while (_counter.Count > 2 && now - _counter.Peek().At > RateSpan)
        {
            _counter.Dequeue();
        }

        var (from, before, _) = _counter.Peek();
        var span = now - from;
        long own = _counter.Skip(1).Sum(look => look.Own);
        return span < TimeSpan.FromSeconds(1) ? null : Math.Max(0, counter - before - own) / span.TotalSeconds;
    }

    /// <summary>Notes where the app's clients are, from a look while it is there (<see cref="AppRemote"/>).</summary>
    private void NoteLocality(ImpactSummary impact) =>
        _appLocal = impact.Local is not { } local || local > 0 || _appLocal == true;

    private void Pace(ImpactSummary impact, double m, TimeSpan took)
    {
        if (!impact.AppPresent && impact.Failed is null)
        {
            JudgeLocks(impact, m, took);
            if (!AppPresent)
            {
                // Away for 2 s: full speed, and fixed batches back to their size.
                Duty = 1;
                _appTarget = AppTargetCeiling;
                if (_options.TargetBatchDuration is null)
                {
                    BatchSize = _options.BatchSize;
                }
            }

            return;
        }

        bool arrived = !AppPresent;
        if (arrived)
        {
            // The app just arrived: the duty ceiling of a busy app, and batches of the full target until
            // one of its transactions waits on a batch; after that, the smallest batches until its
            // transactions show what larger ones would cost it (the looks before it came say nothing).
            StartWindow();
            _inFlight.Clear();
            _sampledLight = false;
            _appLocal = null;
            _appTarget = _appWaited ? MinAppTarget : AppTargetCeiling;
        }

        NoteLocality(impact);
        if (arrived)
        {
            Duty = DutyCeiling;
        }

        _appSeen = Elapsed;
        var (locks, growth) = JudgeLocks(impact, m, took);
        // A look at which the app's only statements wait on the batch's locks says nothing of how busy it
        // is: they take no CPU and are not counted in flight (AppImpact), but only because the batch holds
        // them (a busy writer waits on every long batch, a light one now and then); it is left out.
        if (impact.Active is { } active && (active > 0 || impact.Blocked == 0))
        {
            _inFlight.Enqueue(active > 0);
            if (_inFlight.Count > LightWindow)
            {
                _inFlight.Dequeue();
            }

            int busy = _inFlight.Count(f => f);
            _sampledLight = _inFlight.Count == LightWindow ? busy <= 1 : _inFlight.Count >= LightFirstLooks && busy == 0;
        }

        Duty = Math.Min(Duty, DutyCeiling);
        if (impact.Blocked > 0 && !_appWaited && _options.TargetBatchDuration is not null)
        {
            // The first of the app's transactions to wait on a batch: the app writes the rows being
            // backfilled. The batches start over from the smallest target, and grow only on evidence
            // gathered from here on (fixed batches are judged as before).
            _appWaited = true;
            LastFelt = true;
            DutyHeld = true;
            StartWindow();
            _appTarget = MinAppTarget;
            return;
        }

        bool probe = impact.ProbeFelt(m);
        if (locks == LockVerdict.Felt || probe)
        {
            // Lock waits grow with the rows a batch holds and how long it holds them: smaller batches are
            // the remedy, and the duty is cut only once they are as small as they go. A slow probe is the
            // app sharing the machine with the backfill: the duty is cut at once.
            LastFelt = true;
            DutyHeld = true;
            bool smallest = _options.TargetBatchDuration is null ? BatchSize <= _options.MinBatchSize : _appTarget <= MinAppTarget;
            if (_options.TargetBatchDuration is null)
            {
                // Fixed batches: the size itself halves (and grows back below).
                BatchSize = Math.Max(_options.MinBatchSize, BatchSize / 2);
            }

            _appTarget = TimeSpan.FromTicks(Math.Max(MinAppTarget.Ticks, _appTarget.Ticks / 2));
            if (probe || smallest)
            {
                DutyCut = true;
                Duty = Math.Max(MinDuty, Duty * 0.7);
            }

            return;
        }

        if (locks == LockVerdict.Clear)
        {
            // Enough of the app's transactions went by to tell: the batches grow by what the evidence
            // allows (JudgeLocks: twice as large at most, maybe not at all), twice as large after 10 s
            // without a single waiter, a quarter larger on a look with no waiter and no counter.
            if (_options.TargetBatchDuration is null)
            {
                BatchSize = Math.Min(_options.BatchSize, Math.Max(BatchSize + 1, (int)(BatchSize * growth)));
            }

            _appTarget = TimeSpan.FromTicks(Math.Min(AppTargetCeiling.Ticks, (long)(_appTarget.Ticks * growth)));
        }

        // The duty grows 5 points a batch, and holds while waits since the last verdict await one.
        DutyHeld = locks == LockVerdict.Unknown && _windowBlocked > 0;
        if (!DutyHeld)
        {
            Duty = Math.Min(DutyCeiling, Duty + 0.05);
        }
    }
}
