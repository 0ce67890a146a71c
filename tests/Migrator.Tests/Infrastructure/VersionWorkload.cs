using System.Collections.Concurrent;

namespace Migrator.Tests.Infrastructure;

/// <summary>Counts and failures of one app version's traffic in a zero-downtime test: what each
/// writer wrote (id → email), errors, and rows that read back differently.</summary>
public sealed class VersionWorkload(string version)
{
    private readonly ConcurrentDictionary<int, long> _owned = new();
    private long _writes, _reads, _crossReads, _missed;

    public ConcurrentDictionary<long, string> Expected { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public ConcurrentQueue<string> Divergences { get; } = new();

    public long Writes => Interlocked.Read(ref _writes);

    public long CrossReads => Interlocked.Read(ref _crossReads);

    public Task RunAsync(CancellationToken stop, Func<long, Task> step) => Task.Run(async () =>
    {
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                await step(i);
            }
            catch (Exception e)
            {
                Errors.Enqueue($"{version}: {e.GetType().Name}: {e.Message}");
            }
        }
    });

    public long? OwnedBy(int writer) => _owned.TryGetValue(writer, out long id) ? id : null;

    public void Own(int writer, long id) => _owned[writer] = id;

    public void Wrote(long id, string email)
    {
        Expected[id] = email;
        Interlocked.Increment(ref _writes);
    }

    /// <summary>Set once the gate opened: a lookup that finds nothing is then a divergence.</summary>
    public volatile bool Switched;

    public void Read(bool found)
    {
        Interlocked.Increment(ref _reads);
        if (!found)
        {
            Interlocked.Increment(ref _missed);
            if (Switched)
            {
                Divergences.Enqueue($"{version}: a seeded customer was not found by email after the gate opened");
            }
        }
    }

    public void Check(long id, string expected, string? actual, string through)
    {
        if (actual != expected)
        {
            Divergences.Enqueue($"customer {id} written by {version} as {expected} reads {actual ?? "NULL"} through {through}");
        }
    }

    public void CrossCheck(long id, string expected, string? actual)
    {
        Interlocked.Increment(ref _crossReads);
        Check(id, expected, actual, "the other version");
    }

    public async Task WaitForWritesAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Writes < count && Errors.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{version} made {Writes} writes, waited for {count}");
            }

            await Task.Delay(20);
        }
    }

    public override string ToString() =>
        $"{Writes} writes, {Interlocked.Read(ref _reads)} reads ({Interlocked.Read(ref _missed)} lookups by seed email found nothing, before the backfill), {CrossReads} reads through the other version, {Errors.Count} errors, {Divergences.Count} divergences";
}
