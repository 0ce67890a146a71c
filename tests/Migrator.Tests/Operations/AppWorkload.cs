using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Migrator.Tests.Operations;

/// <summary>
/// The traffic of one app version: writers that insert rows and update their own, each write read
/// back through this version and, while it is live, through the other one; everything that does
/// not read back as the scenario expects is a divergence, every exception an error.
/// </summary>
public sealed class AppWorkload(int version, OperationScenario scenario, NpgsqlDataSource db)
{
    private static long _nextId = 100_000;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private long _writes, _reads;
    private int _stopped;
    private int _crossReads;

    public int Version { get; } = version;

    /// <summary>The other version, read through while it is live.</summary>
    public AppWorkload? Other { get; set; }

    public bool Live => _tasks.Count > 0 && Volatile.Read(ref _stopped) == 0;

    /// <summary>The last write of every row this version wrote.</summary>
    public ConcurrentDictionary<long, Write> Written { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public ConcurrentQueue<string> Divergences { get; } = new();

    public long Writes => Interlocked.Read(ref _writes);

    public long Statements => Interlocked.Read(ref _writes) + Interlocked.Read(ref _reads);

    private VersionSql Sql => Version == 1 ? scenario.V1 : scenario.V2;

    public void Start(int writers = 2)
    {
        for (int n = 0; n < writers; n++)
        {
            _tasks.Add(Task.Run(() => RunAsync(_stop.Token)));
        }
    }

    /// <summary>Stops this version's traffic. When it returns no statement of this version runs any
    /// more: neither its own writers nor another version's cross-check read through it, so a schema
    /// change made right after (a rollback, a contract) can never meet one of its statements.</summary>
    public async Task StopAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
        while (Interlocked.CompareExchange(ref _crossReads, 0, 0) > 0)
        {
            await Task.Delay(5);
        }
    }

    /// <summary>A read through this version on behalf of another, only while this version is live:
    /// (false, null) once it has stopped. Registered before the liveness check, so StopAsync waits for
    /// a read that saw this version live (a Dekker handshake over two full fences).</summary>
    public async Task<(bool Read, string? Value)> TryReadWhileLiveAsync(Write write)
    {
        Interlocked.Increment(ref _crossReads);
        try
        {
            return Live ? (true, await ReadAsync(write)) : (false, null);
        }
        finally
        {
            Interlocked.Decrement(ref _crossReads);
        }
    }

    public async Task WaitForWritesAsync(long more)
    {
        long target = Writes + more;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Writes < target && Errors.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"app {Version} made {Writes} writes, waited for {target}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Reads a row through this version's SELECT.</summary>
    public async Task<string?> ReadAsync(Write write)
    {
        await using var connection = await db.OpenConnectionAsync();
        Interlocked.Increment(ref _reads);
        return await connection.QuerySingleOrDefaultAsync<string?>(Sql.Select, write.Parameters);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var mine = new List<long>();
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                // Cross-checked only if the other version was already live when this write started:
                // a row written before the expand is the backfill's business, not the trigger's.
                bool otherLiveBefore = Other is { Live: true };
                Write write;
                await using (var connection = await db.OpenConnectionAsync(stop))
                {
                    if (i % 3 == 2 && mine.Count > 0)
                    {
                        write = new Write(mine[(int)(i / 3 % mine.Count)], i);
                        await connection.ExecuteAsync(Sql.Update, write.Parameters);
                    }
                    else
                    {
                        write = new Write(Interlocked.Increment(ref _nextId), i);
                        await connection.ExecuteAsync(Sql.Insert, write.Parameters);
                        mine.Add(write.Id);
                    }
                }

                Written[write.Id] = write;
                Interlocked.Increment(ref _writes);
                Check(this, write, await ReadAsync(write));
                if (otherLiveBefore && Other is { } other && await other.TryReadWhileLiveAsync(write) is (true, var value))
                {
                    Check(other, write, value);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Errors.Enqueue($"app {Version}: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>Compares what <paramref name="reader"/> read for a row this version wrote with the scenario's expectation.</summary>
    public void Check(AppWorkload reader, Write write, string? actual)
    {
        string? expected = scenario.Expect(reader.Version, Version, write);
        if (expected is not null && actual != expected)
        {
            Divergences.Enqueue($"row {write.Id} written by app {Version} reads '{actual ?? "NULL"}' through app {reader.Version}, expected '{expected}'");
        }
    }

    public override string ToString() => $"app {Version}: {Writes} writes, {Statements} statements, {Errors.Count} errors, {Divergences.Count} divergences";
}
