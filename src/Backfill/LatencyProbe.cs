using System.Diagnostics;
using Npgsql;

namespace Migrator.Backfill;

/// <summary>
/// The user's latency probe (<see cref="BackfillOptions.LatencyProbe"/>): a statement of the app's, timed
/// on a connection of its own once while each batch runs, against its median of seven runs before the
/// backfill starts. It is sent alone through the extended protocol (which refuses a second statement), in
/// a read-only transaction that is rolled back, under a 2 s statement_timeout.
/// </summary>
internal sealed class LatencyProbe : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly string _sql;
    private double _baselineMs;

    private LatencyProbe(NpgsqlConnection connection, string sql)
    {
        _connection = connection;
        _sql = sql;
    }

    /// <summary>The probe connection's backend: not the app.</summary>
    public int ProcessId => _connection.ProcessID;

    /// <summary>Opens the probe's connection and measures its idle time; null without a probe.</summary>
    public static async Task<LatencyProbe?> StartAsync(Func<CancellationToken, Task<NpgsqlConnection>> connect, BackfillOptions options, CancellationToken cancellation)
    {
        if (options.LatencyProbe is not { } sql || options.MaxAppImpact is null)
        {
            return null;
        }

        var probe = new LatencyProbe(await connect(cancellation), sql);
        try
        {
            var times = new List<double>();
            for (int i = 0; i < 7; i++)
            {
                times.Add(await probe.TimeAsync(cancellation));
            }

            times.Sort();
            probe._baselineMs = Math.Max(times[times.Count / 2], 0.05);
            return probe;
        }
        catch (PostgresException e)
        {
            await probe.DisposeAsync();
            throw new BackfillException($"--latency-probe failed before the backfill started: {PostgresErrorText.Describe(e)}", isBadInput: true, e);
        }
    }

    /// <summary>Times the probe once; returns its ratio to the idle time, or the failure.</summary>
    public async Task<(double? Ratio, string? Failed)> MeasureAsync(CancellationToken cancellation)
    {
        try
        {
            return (await TimeAsync(cancellation) / _baselineMs, null);
        }
        catch (NpgsqlException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>For workers sharing one probe: times it unless another worker is timing it now (null then).</summary>
    public async Task<(double? Ratio, string? Failed)?> TryMeasureAsync(CancellationToken cancellation)
    {
        if (!await _busy.WaitAsync(0, cancellation))
        {
            return null;
        }

        try
        {
            return await MeasureAsync(cancellation);
        }
        finally
        {
            _busy.Release();
        }
    }

    private async Task<double> TimeAsync(CancellationToken cancellation)
    {
        await using var tx = await _connection.BeginTransactionAsync(cancellation);
        await using (var setup = new NpgsqlCommand("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = '2s'", _connection, tx))
        {
            await setup.ExecuteNonQueryAsync(cancellation);
        }

        // A batch command is sent as written, never split on semicolons: PostgreSQL parses it as one
        // prepared statement and refuses more than one.
        await using var batch = new NpgsqlBatch(_connection, tx) { BatchCommands = { new NpgsqlBatchCommand(_sql) } };
        long start = Stopwatch.GetTimestamp();
        await using (var reader = await batch.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
            }
        }

        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await tx.RollbackAsync(cancellation);
        return ms;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _busy.Dispose();
    }
}
