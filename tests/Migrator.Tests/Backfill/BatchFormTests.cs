using Migrator.Backfill;

namespace Migrator.Tests.Backfill;

/// <summary>When a batch may run as a key-range UPDATE (<see cref="BatchForm"/>).</summary>
public sealed class BatchFormTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Test]
    public void The_key_range_form_runs_until_it_gives_up_then_skip_locked_for_twenty_batches()
    {
        var form = new BatchForm(Second);
        Assert.That(form.KeyRange, Is.True);
        Assert.That(form.StatementTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(500)), "half of deadlock_timeout");
        form.Ran(TimeSpan.FromMilliseconds(20), fellBack: true);
        for (int i = 0; i < BatchForm.LockedAfterFallback; i++)
        {
            Assert.That(form.KeyRange, Is.False, $"batch {i + 1} after the fallback");
            form.Ran(TimeSpan.FromMilliseconds(20), fellBack: false);
        }

        Assert.That(form.KeyRange, Is.True);
    }

    [Test]
    public void A_batch_that_took_a_quarter_of_the_deadlock_timeout_makes_the_next_one_skip_locked()
    {
        var form = new BatchForm(Second);
        form.Ran(TimeSpan.FromMilliseconds(249), fellBack: false);
        Assert.That(form.KeyRange, Is.True);
        form.Ran(TimeSpan.FromMilliseconds(250), fellBack: false);
        Assert.That(form.KeyRange, Is.False);
        form.Ran(TimeSpan.FromMilliseconds(100), fellBack: false);
        Assert.That(form.KeyRange, Is.True);
    }

    [Test]
    public void A_key_range_batch_with_fewer_than_half_its_keys_pending_hands_over_to_skip_locked()
    {
        var form = new BatchForm(Second);
        form.Ran(TimeSpan.FromMilliseconds(20), fellBack: false, keyRange: true, rows: 50, size: 100);
        Assert.That(form.KeyRange, Is.True, "half of them pending: dense enough");
        form.Ran(TimeSpan.FromMilliseconds(20), fellBack: false, keyRange: true, rows: 49, size: 100);
        for (int i = 0; i < BatchForm.LockedAfterFallback; i++)
        {
            Assert.That(form.KeyRange, Is.False, $"batch {i + 1} after the sparse one");
            form.Ran(TimeSpan.FromMilliseconds(20), fellBack: false, keyRange: false, rows: 0, size: 100);
        }

        Assert.That(form.KeyRange, Is.True, "then the key-range form is tried again");
    }

    [Test]
    public void A_deadlock_timeout_under_100_ms_or_the_option_off_keeps_every_batch_skip_locked()
    {
        Assert.That(new BatchForm(TimeSpan.FromMilliseconds(99)).KeyRange, Is.False);
        Assert.That(new BatchForm(TimeSpan.FromMilliseconds(100)).KeyRange, Is.True);
        Assert.That(new BatchForm(Second, enabled: false).KeyRange, Is.False);
    }
}
