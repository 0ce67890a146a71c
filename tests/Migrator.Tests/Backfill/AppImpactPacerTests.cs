using Migrator.Backfill;

namespace Migrator.Tests.Backfill;

/// <summary>
/// The impact-aware pacing's rules, batch by batch, on a clock the test moves (no database, no sleeping):
/// full speed without the app, the duty ceiling with it, backing off when too many of the app's
/// transactions wait on the batches' locks or the probe goes over the bound, and back to full speed once
/// the app has been away for 2 s.
/// </summary>
public sealed class AppImpactPacerTests
{
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(100);

    [Test]
    public void Without_the_app_batches_run_back_to_back()
    {
        var (pacer, time) = Create(2);
        for (int i = 0; i < 5; i++)
        {
            Assert.That(Step(pacer, time, new ImpactSummary(0, 0, 0)), Is.EqualTo(TimeSpan.Zero));
        }

        Assert.That(pacer.Duty, Is.EqualTo(1));
        Assert.That(pacer.AppPresent, Is.False);
    }

    [TestCase(1.0, 0.25)]
    [TestCase(2.0, 0.5)]
    [TestCase(3.0, 0.75)]
    [TestCase(4.0, 1.0)]
    [TestCase(6.0, 1.0)]
    public void With_the_app_the_backfill_runs_m_quarters_of_the_time(double m, double duty)
    {
        var (pacer, time) = Create(m);
        var wait = Step(pacer, time, new ImpactSummary(0, AppConnections: 3, 0));
        Assert.That(pacer.AppPresent, Is.True);
        Assert.That(pacer.Duty, Is.EqualTo(duty).Within(1e-9));
        Assert.That(wait.TotalMilliseconds, Is.EqualTo(Batch.TotalMilliseconds * (1 - duty) / duty).Within(0.01), "rest = took × (1 − duty) / duty");
    }

    [TestCase(1.0, 0.5)]
    [TestCase(1.5, 0.75)]
    [TestCase(2.0, 1.0)]
    [TestCase(3.0, 1.0)]
    public void A_busy_app_whose_connections_all_come_from_other_hosts_gets_m_halves_of_the_time(double m, double duty)
    {
        var (pacer, time) = Create(m);
        var remote = new ImpactSummary(0, AppConnections: 3, 0) { Active = 2, Local = 0 };
        var wait = Step(pacer, time, remote);
        Assert.That(pacer.AppRemote, Is.True);
        Assert.That(pacer.AppLight, Is.False, "busy: a statement in flight");
        Assert.That(pacer.Duty, Is.EqualTo(duty).Within(1e-9), "m/2 from the first look, not grown to it");
        Assert.That(wait.TotalMilliseconds, Is.EqualTo(Batch.TotalMilliseconds * (1 - duty) / duty).Within(0.01));
    }

    [Test]
    public void One_local_connection_makes_the_app_local_until_it_is_away()
    {
        var (pacer, time) = Create(2);
        var remote = new ImpactSummary(0, AppConnections: 3, 0) { Active = 2, Local = 0 };
        Step(pacer, time, remote);
        Assert.That(pacer.Duty, Is.EqualTo(1).Within(1e-9));

        Step(pacer, time, remote with { Local = 1 });
        Assert.That(pacer.AppRemote, Is.False, "a client on the database's host shares its cores");
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "down to m/4 at once");
        for (int i = 0; i < 10; i++)
        {
            Step(pacer, time, remote);
        }

        Assert.That(pacer.AppRemote, Is.False, "local until the app is away, though the local connection left");
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9));

        // Away for 2 s, then back from other hosts only.
        for (int i = 0; i < 12; i++)
        {
            Step(pacer, time, new ImpactSummary(0, 0, 0) { Local = 0 });
        }

        Assert.That(pacer.AppPresent, Is.False);
        Step(pacer, time, remote);
        Assert.That(pacer.AppRemote, Is.True, "a new arrival is judged by its own looks");
        Assert.That(pacer.Duty, Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void A_look_that_cannot_tell_where_the_app_is_keeps_it_local()
    {
        var (pacer, time) = Create(2);
        Step(pacer, time, new ImpactSummary(0, AppConnections: 3, 0) { Active = 2 });
        Assert.That(pacer.AppRemote, Is.False, "no address sampled: the app may share the cores");
        Step(pacer, time, new ImpactSummary(0, AppConnections: 3, 0) { Active = 2, Local = 0 });
        Assert.That(pacer.AppRemote, Is.False, "one look without the addresses is enough to stay local");
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void Lock_waits_of_a_remote_app_shrink_the_batches_and_cut_the_duty_as_for_any()
    {
        var (pacer, time) = Create(2);
        long transactions = 0;
        var remote = new ImpactSummary(5, AppConnections: 1, 0) { Active = 1, Local = 0 };
        for (int i = 0; i < 12; i++)
        {
            transactions += 51;
            Step(pacer, time, remote with { Transactions = transactions });
        }

        Assert.That(pacer.AppRemote, Is.True);
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "the batches shrink to the least target");
        Assert.That(pacer.Duty, Is.EqualTo(BackfillPacer.MinDuty), "then the duty is cut, down to the floor");
    }

    [Test]
    public void Many_app_transactions_stuck_behind_batches_back_off_and_recover()
    {
        var (pacer, time) = Create(2);
        long transactions = 0;
        var duties = new List<double>();
        // 50 app transactions per batch, 5 of them (10 %) waiting on the batch's locks: far above 0.5 %.
        for (int i = 0; i < 12; i++)
        {
            transactions += 51;
            Step(pacer, time, new ImpactSummary(5, 1, 0) { Transactions = transactions });
            duties.Add(pacer.Duty);
        }

        TestContext.Out.WriteLine("duties while felt: " + string.Join(", ", duties.Select(d => d.ToString("0.000"))));
        Assert.That(duties.Zip(duties.Skip(1)).All(p => p.Second <= p.First), Is.True, "never speeds up while felt");
        Assert.That(pacer.Duty, Is.EqualTo(BackfillPacer.MinDuty), "down to the floor");
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "the batches shrink to the least target");

        for (int i = 0; i < 80; i++)
        {
            transactions += 51;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions });
        }

        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "+0.05 per batch the app did not feel, up to the ceiling");
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(150)), "doubled at every 1 200 app transactions without a wait");
    }

    [Test]
    public void Lock_waits_shrink_the_batches_first_and_cut_the_duty_only_at_the_smallest()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        long transactions = 0;
        // A busy app whose transactions never wait: the batches grow to the full target.
        for (int i = 0; i < 20; i++)
        {
            transactions += 501;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions });
        }

        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(150)));
        var steps = new List<(TimeSpan? Target, double Duty)>();
        for (int i = 0; i < 6; i++)
        {
            // 500 app transactions a batch, 5 of them (1 %) stuck behind it: over 0.5 %.
            transactions += 501;
            Step(pacer, time, new ImpactSummary(5, 1, 0) { Transactions = transactions });
            steps.Add((pacer.Target, pacer.Duty));
        }

        TestContext.Out.WriteLine(string.Join(", ", steps.Select(s => $"{s.Target?.TotalMilliseconds} ms/{s.Duty:0.00}")));
        Assert.That(steps.Take(4).Select(s => s.Target!.Value.TotalMilliseconds), Is.EqualTo(new[] { 75, 37.5, 20, 20 }), "the target halves down to 20 ms");
        Assert.That(steps.Take(3).All(s => Math.Abs(s.Duty - 0.5) < 1e-9), Is.True, "the duty holds while the batches can still shrink");
        Assert.That(steps[3].Duty, Is.EqualTo(0.35).Within(1e-9), "then it is cut by 30 %");
        Assert.That(steps[5].Duty, Is.LessThan(steps[4].Duty));
    }

    [Test]
    public void After_the_apps_first_wait_batches_start_small_and_grow_only_once_enough_of_its_transactions_went_by()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        long transactions = 0, app = 0;
        var targets = new List<(long App, double Ms)>();
        for (int i = 0; i < 130; i++)
        {
            // 20 app transactions a batch (100 a second), none of them waiting.
            transactions += 21;
            app += 20;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions });
            targets.Add((app, pacer.Target!.Value.TotalMilliseconds));
        }

        TestContext.Out.WriteLine(string.Join(", ", targets.Select(t => $"{t.App}: {t.Ms} ms")));
        Assert.That(targets.Where(t => t.App < 2 * 3 / BackfillPacer.LockShareFor(2)).All(t => t.Ms == 20), Is.True,
            "20 ms until 1 200 app transactions without a wait (the share's upper bound 3 / n, times two, within 0.5 %) tell that batches twice as large would not be felt");
        Assert.That(targets.First(t => t.Ms > 20).App, Is.EqualTo(1200));
        Assert.That(targets.Where(t => t.App < 2 * 1200).Select(t => t.Ms), Is.All.LessThanOrEqualTo(40), "as many again for the next step");
        Assert.That(targets[^1].Ms, Is.EqualTo(80));
        Assert.That(targets.Zip(targets.Skip(1)).All(p => p.Second.Ms == p.First.Ms || p.Second.Ms == Math.Min(150, 2 * p.First.Ms)), Is.True,
            "twice as large at each verdict with no wait at all");
    }

    [Test]
    public void Waits_within_the_share_but_too_close_to_it_for_twice_as_large_keep_the_batches_from_doubling()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        long transactions = 0;
        var targets = new List<double>();
        for (int i = 0; i < 100; i++)
        {
            // 100 app transactions a batch, one of them waiting on every third batch: 0.33 %, within the
            // 0.5 % allowed, but batches twice as large would give about 0.67 %.
            transactions += 101;
            Step(pacer, time, new ImpactSummary(i % 3 == 2 ? 1 : 0, 1, 0) { Transactions = transactions });
            Assert.That(pacer.LastFelt, Is.False, $"batch {i}: within the share");
            targets.Add(pacer.Target!.Value.TotalMilliseconds);
        }

        TestContext.Out.WriteLine(string.Join(", ", targets.Distinct().Select(t => t.ToString("0.0"))));
        Assert.That(targets.Zip(targets.Skip(1)).All(p => p.Second <= p.First * 1.25), Is.True, "never a step of a quarter or more");
        Assert.That(targets[^1], Is.LessThan(25), "10 000 transactions later, still about the size that shows 0.33 %");
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "the duty grows all the same: the share is kept");
    }

    [Test]
    public void Until_one_of_its_transactions_waits_the_app_gets_batches_of_the_full_target()
    {
        var (pacer, time) = Create(2);
        long transactions = 0;
        for (int i = 0; i < 30; i++)
        {
            // 20 app transactions a batch, none of them waiting (an app writing rows the backfill does not update).
            transactions += 21;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions });
            Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(150)), $"batch {i}");
            Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "a busy app's duty ceiling all the same");
        }

        transactions += 21;
        Step(pacer, time, new ImpactSummary(1, 1, 0) { Transactions = transactions });
        Assert.That(pacer.LastFelt, Is.True, "one of its transactions waited: it writes the rows being backfilled");
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "the smallest batches at once, not halving");
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "the duty is not cut for it");

        var targets = new List<double>();
        for (int i = 0; i < 65; i++)
        {
            transactions += 21;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions });
            targets.Add(pacer.Target!.Value.TotalMilliseconds);
        }

        TestContext.Out.WriteLine(string.Join(", ", targets));
        Assert.That(targets.Take(59), Is.All.EqualTo(20), "no growth before 1 200 of its transactions since the wait");
        Assert.That(targets[^1], Is.EqualTo(40), "then twice as large");
    }

    [Test]
    public void An_app_that_waited_once_gets_the_smallest_batches_when_it_comes_back()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        long transactions = 0;
        for (int i = 0; i < 60; i++)
        {
            transactions += 101;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions });
        }

        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(150)), "grown back on evidence");
        time.Advance(TimeSpan.FromSeconds(2));
        Step(pacer, time, new ImpactSummary(0, 0, 0) { Transactions = ++transactions });
        Assert.That(pacer.AppPresent, Is.False);
        Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = ++transactions });
        Assert.That(pacer.AppPresent, Is.True);
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "it writes the rows being backfilled: small from the start");
    }

    [Test]
    public void Other_workers_commits_are_not_counted_as_the_apps_transactions()
    {
        // This worker and two others, each committing its batch and its share of the budget: 6 of the
        // counter's transactions per batch are the backfill's; 20 are the app's.
        var time = new ManualTime();
        var pacer = new BackfillPacer(new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150), MaxAppImpact = 2 }, time) { OwnTransactionsPerBatch = 2 };
        FirstWait(pacer, time);
        long transactions = 0, app = 0;
        var targets = new List<(long App, double Ms)>();
        for (int i = 0; i < 70; i++)
        {
            transactions += 26;
            app += 20;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Transactions = transactions, Workers = 2 });
            targets.Add((app, pacer.Target!.Value.TotalMilliseconds));
        }

        TestContext.Out.WriteLine(string.Join(", ", targets.Select(t => $"{t.App}: {t.Ms} ms")));
        Assert.That(targets.Where(t => t.App < 2 * 3 / BackfillPacer.LockShareFor(2)).Select(t => t.Ms), Is.All.EqualTo(20),
            "no growth before 1 200 of the app's own transactions went by (counting the workers' would give it at 940)");
        Assert.That(targets[^1].Ms, Is.GreaterThan(20));
    }

    [Test]
    public void A_light_app_on_the_rows_being_backfilled_keeps_the_batches_small()
    {
        var (pacer, time) = Create(2);
        long transactions = 0;
        for (int i = 0; i < 100; i++)
        {
            // 40 app transactions a batch (200 a second), one of them stuck behind every other batch:
            // 1 in 80, 1.25 %.
            transactions += 41;
            Step(pacer, time, new ImpactSummary(1 - (i % 2), 1, 0) { Active = 0, Transactions = transactions });
            Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), $"batch {i}: from the app's first wait on");
        }

        Assert.That(pacer.AppLight, Is.True, "light, but its lock waits are judged all the same");
    }

    [Test]
    public void An_app_that_commits_nothing_lets_the_batches_grow_after_ten_seconds_without_a_wait()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        var targets = new List<(TimeSpan At, double Ms)>();
        for (int i = 0; i < 150; i++)
        {
            // An app idle in its transaction: the counter moves only by the batches' own commits.
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Active = 0, Transactions = 1000 + i });
            targets.Add((time.Now, pacer.Target!.Value.TotalMilliseconds));
        }

        TestContext.Out.WriteLine(string.Join(", ", targets.Where((t, i) => i == 0 || t.Ms != targets[i - 1].Ms).Select(t => $"{t.At.TotalSeconds:0.0} s: {t.Ms} ms")));
        Assert.That(targets.Where(t => t.At < TimeSpan.FromSeconds(9.9)).All(t => t.Ms == 20), Is.True, "too few transactions to tell");
        Assert.That(targets[^1].Ms, Is.GreaterThan(20), "10 s with no waiter at all: larger");
    }

    [Test]
    public void The_looks_before_the_app_came_are_no_evidence_for_it()
    {
        var (pacer, time) = Create(2);
        // The app waited on a batch earlier in the run, then went away for 9 s.
        FirstWait(pacer, time);
        long transactions = 1000;
        while (time.Now < TimeSpan.FromSeconds(9))
        {
            Step(pacer, time, new ImpactSummary(0, 0, 0) { Transactions = ++transactions });
        }

        Assert.That(pacer.AppPresent, Is.False);
        var arrived = time.Now;
        var targets = new List<double>();
        while (time.Now < arrived + TimeSpan.FromSeconds(5))
        {
            // An app that sits in its transaction.
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Active = 0, Transactions = ++transactions });
            targets.Add(pacer.Target!.Value.TotalMilliseconds);
        }

        Assert.That(targets, Is.All.EqualTo(20), "10 s without a waiter counts from the app's arrival, not from the backfill's start");
    }

    [Test]
    public void A_few_lock_waits_among_many_transactions_are_not_felt()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        long transactions = 0;
        for (int i = 0; i < 40; i++)
        {
            // 1 000 app transactions per batch; one waits on a batch every tenth batch: 0.01 %.
            transactions += 1001;
            Step(pacer, time, new ImpactSummary(i % 10 == 9 ? 1 : 0, 2, 0) { Transactions = transactions });
            Assert.That(pacer.LastFelt, Is.False, $"batch {i}");
        }

        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void Without_transaction_counts_three_waiters_per_batch_are_enough()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        Step(pacer, time, new ImpactSummary(1, 1, 0));
        Assert.That(pacer.LastFelt, Is.False, "one stuck app transaction per batch cannot be told from a share");
        Step(pacer, time, new ImpactSummary(2, 1, 0));
        Assert.That(pacer.LastFelt, Is.False);
        Step(pacer, time, new ImpactSummary(6, 1, 0));
        Assert.That(pacer.LastFelt, Is.True, "9 over 3 batches");
    }

    [Test]
    public void In_the_first_second_one_waiter_per_batch_is_not_judged_without_the_counter_moving()
    {
        var (pacer, time) = Create(2);
        FirstWait(pacer, time);
        // The counter has not moved yet (backends report it about once a second): 4 batches of 200 ms.
        for (int i = 0; i < 4; i++)
        {
            Step(pacer, time, new ImpactSummary(1, 1, 0) { Transactions = 1000 });
            Assert.That(pacer.LastFelt, Is.False, $"batch {i}");
        }

        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void A_probe_over_the_bound_or_failing_backs_off()
    {
        var (pacer, time) = Create(2);
        Step(pacer, time, new ImpactSummary(0, 1, 0, ProbeRatio: 1.5));
        Assert.That(pacer.LastFelt, Is.False);
        Step(pacer, time, new ImpactSummary(0, 1, 0, ProbeRatio: 2.5));
        Assert.That(pacer.LastFelt, Is.True);
        Assert.That(pacer.Duty, Is.EqualTo(0.35).Within(1e-9), "30 % less");
        Step(pacer, time, new ImpactSummary(0, 0, 0, Failed: "canceling statement due to statement timeout"));
        Assert.That(pacer.LastFelt, Is.True);
    }

    [Test]
    public void A_light_app_lets_the_batches_run_all_of_the_time_and_a_busy_one_brings_the_ceiling_back_at_once()
    {
        var (pacer, time) = Create(2);
        var light = new ImpactSummary(0, AppConnections: 2, 0) { Active = 0 };
        for (int i = 1; i < BackfillPacer.LightFirstLooks; i++)
        {
            Step(pacer, time, light);
            Assert.That(pacer.AppLight, Is.False, $"after {i} looks: too few to tell");
        }

        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "a busy app's ceiling until five looks say otherwise");
        Step(pacer, time, light);
        Assert.That(pacer.AppLight, Is.True, "no statement in flight at five looks");
        Assert.That(pacer.DutyCeiling, Is.EqualTo(1));
        for (int i = 0; i < 10; i++)
        {
            Step(pacer, time, light);
        }

        Assert.That(pacer.Duty, Is.EqualTo(1).Within(1e-9), "+0.05 a batch up to all of the time");
        Assert.That(pacer.AppPresent, Is.True);
        Assert.That(Step(pacer, time, light with { Active = 1 }), Is.EqualTo(TimeSpan.Zero), "one statement in flight in ten looks: still light");
        Assert.That(pacer.AppLight, Is.True);

        Step(pacer, time, light with { Active = 3 });
        Assert.That(pacer.AppLight, Is.False, "two in ten: busy");
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9), "back to m/4 at once, not 5 points a batch");
    }

    [Test]
    public void Before_ten_looks_one_statement_in_flight_keeps_the_app_busy_until_the_tenth()
    {
        var (pacer, time) = Create(2);
        var light = new ImpactSummary(0, AppConnections: 2, 0) { Active = 0 };
        Step(pacer, time, light with { Active = 1 });
        for (int i = 2; i < BackfillPacer.LightWindow; i++)
        {
            Step(pacer, time, light);
            Assert.That(pacer.AppLight, Is.False, $"after {i} looks, one of them with a statement in flight");
        }

        Step(pacer, time, light);
        Assert.That(pacer.AppLight, Is.True, "one in ten");
    }

    [Test]
    public void A_busy_app_stuck_behind_every_batch_is_not_taken_for_a_light_one()
    {
        var (pacer, time) = Create(2);
        // A writer as fast as it goes: at every commit of a long batch its one statement waits on the
        // batch's locks (not in flight, AppImpact), and at the other looks it is running.
        for (int i = 0; i < 3 * BackfillPacer.LightWindow; i++)
        {
            Step(pacer, time, new ImpactSummary(1, 1, 0) { Active = 0 });
            Assert.That(pacer.AppLight, Is.False, $"look {i}: stuck behind the batch says nothing of how busy it is");
        }

        for (int i = 0; i < BackfillPacer.LightWindow; i++)
        {
            Step(pacer, time, new ImpactSummary(i % 2, 1, 0) { Active = 1 - (i % 2) });
            Assert.That(pacer.AppLight, Is.False, $"look {i}");
        }

        Assert.That(pacer.DutyCeiling, Is.EqualTo(0.5));
    }

    [TestCase(200, true)]
    [TestCase(5000, false)]
    public void An_app_of_many_transactions_a_second_is_busy_whatever_its_looks_show(int perSecond, bool light)
    {
        var (pacer, time) = Create(2);
        long transactions = 0;
        var verdicts = new List<bool>();
        for (int i = 0; i < 3 * BackfillPacer.LightWindow; i++)
        {
            // No statement in flight at any look (a fast writer's statements are too short to be seen).
            transactions += 1 + (perSecond / 5);
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Active = 0, Transactions = transactions });
            verdicts.Add(pacer.AppLight);
        }

        TestContext.Out.WriteLine(string.Join(", ", verdicts));
        Assert.That(verdicts[^1], Is.EqualTo(light), $"{perSecond} transactions a second against {BackfillPacer.LightRate}");
        Assert.That(verdicts.Skip(BackfillPacer.LightWindow), Is.All.EqualTo(light), "once the counter tells the rate");
        Assert.That(pacer.DutyCeiling, Is.EqualTo(light ? 1 : 0.5));
    }

    [Test]
    public void Lock_waits_are_judged_for_a_light_app_as_for_any()
    {
        var (pacer, time) = Create(2);
        long transactions = 0;
        for (int i = 0; i < BackfillPacer.LightWindow + 10; i++)
        {
            transactions += 51;
            Step(pacer, time, new ImpactSummary(0, 1, 0) { Active = 0, Transactions = transactions });
        }

        Assert.That(pacer.Duty, Is.EqualTo(1).Within(1e-9));
        // Of 50 app transactions a batch, 3 stuck behind it (waiting on a lock: not in flight, AppImpact).
        for (int i = 0; i < 3; i++)
        {
            transactions += 51;
            Step(pacer, time, new ImpactSummary(3, 1, 0) { Active = 0, Transactions = transactions });
        }

        Assert.That(pacer.LastFelt, Is.True);
        Assert.That(pacer.AppLight, Is.True, "still light: its waits are judged by the lock rules");
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "the batches shrink");
        Assert.That(pacer.Duty, Is.LessThan(1), "and, as small as they go and still felt, the duty is cut");
    }

    [Test]
    public void The_app_away_for_two_seconds_restores_full_speed()
    {
        var (pacer, time) = Create(2);
        Step(pacer, time, new ImpactSummary(0, 1, 0));
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9));
        // Batches without the app (200 ms each with their rest), but within 2 s of the last sighting: still paced.
        for (int i = 0; i < 5; i++)
        {
            Step(pacer, time, new ImpactSummary(0, 0, 0));
        }

        Assert.That(pacer.AppPresent, Is.True);
        Assert.That(pacer.Duty, Is.EqualTo(0.5).Within(1e-9));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Step(pacer, time, new ImpactSummary(0, 0, 0)), Is.EqualTo(TimeSpan.Zero));
        Assert.That(pacer.AppPresent, Is.False);
        Assert.That(pacer.Duty, Is.EqualTo(1));
    }

    [Test]
    public void Fixed_batches_halve_while_felt_and_are_back_to_their_size_once_the_app_is_away()
    {
        var time = new ManualTime();
        var pacer = new BackfillPacer(new BackfillOptions(BatchSize: 1000) { MaxAppImpact = 2 }, time);
        Step(pacer, time, new ImpactSummary(3, 1, 0));
        Assert.That(pacer.BatchSize, Is.EqualTo(500));
        Step(pacer, time, new ImpactSummary(0, 0, 0));
        Assert.That(pacer.AppPresent, Is.True, "still within 2 s of the app");
        time.Advance(TimeSpan.FromSeconds(2));
        Step(pacer, time, new ImpactSummary(0, 0, 0));
        Assert.That(pacer.AppPresent, Is.False);
        Assert.That(pacer.BatchSize, Is.EqualTo(1000));
    }

    [Test]
    public void A_batch_short_of_its_size_leaves_the_size_as_it_is()
    {
        var (pacer, _) = Create(null);
        pacer.Done(1000, TimeSpan.FromMilliseconds(5));
        Assert.That(pacer.BatchSize, Is.EqualTo(2000), "a full batch far under the 150 ms target doubles the size");
        pacer.Done(37, TimeSpan.FromMilliseconds(1));
        Assert.That(pacer.BatchSize, Is.EqualTo(2000), "the last rows of a pass say nothing about a full batch");
    }

    [Test]
    public void Pacing_off_ignores_the_app()
    {
        var (pacer, time) = Create(null);
        Assert.That(Step(pacer, time, new ImpactSummary(9, 9, 9, ProbeRatio: 50)), Is.EqualTo(TimeSpan.Zero));
        Assert.That(pacer.Duty, Is.EqualTo(1));
    }

    [TestCase(0.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void An_impact_below_one_or_not_a_number_is_bad_input(double m)
    {
        var e = Assert.Throws<BackfillException>(new BackfillOptions { MaxAppImpact = m }.Validate);
        Assert.That(e!.IsBadInput, Is.True);
        Assert.That(e.Message, Does.Contain("--max-app-impact"));
    }

    [Test]
    public void A_probe_without_the_pacing_is_bad_input()
    {
        var e = Assert.Throws<BackfillException>(new BackfillOptions { MaxAppImpact = null, LatencyProbe = "SELECT 1" }.Validate);
        Assert.That(e!.IsBadInput, Is.True);
    }

    private static (BackfillPacer Pacer, ManualTime Time) Create(double? m)
    {
        var time = new ManualTime();
        return (new BackfillPacer(new BackfillOptions(BatchSize: 1000) { TargetBatchDuration = TimeSpan.FromMilliseconds(150), MaxAppImpact = m }, time), time);
    }

    /// <summary>One batch that one of the app's transactions waited on (no transaction count): from then on
    /// the app's batches start from the smallest target and grow only on evidence.</summary>
    private static void FirstWait(BackfillPacer pacer, ManualTime time)
    {
        Step(pacer, time, new ImpactSummary(1, 1, 0));
        Assert.That(pacer.Target, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "the app's first wait: the smallest batches");
    }

    /// <summary>One batch of 100 ms and its pause, on the manual clock.</summary>
    private static TimeSpan Step(BackfillPacer pacer, ManualTime time, ImpactSummary impact)
    {
        time.Advance(Batch);
        var wait = pacer.Done(1000, Batch, impact);
        time.Advance(wait);
        return wait;
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;

        public TimeSpan Now => TimeSpan.FromTicks(_ticks);
    }
}
