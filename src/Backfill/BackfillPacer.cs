using System.Diagnostics;

namespace Migrator.Backfill;

/// <summary>
/// Decides the size of the next batch and how long to wait before it: the size follows the last
/// batch's duration toward <see cref="BackfillOptions.TargetBatchDuration"/> (at most halving or
/// doubling per batch, within the bounds), and the wait keeps the rate under
/// <see cref="BackfillOptions.MaxRowsPerSecond"/> and honours <see cref="BackfillOptions.BatchDelay"/>.
/// </summary>
internal sealed class BackfillPacer(BackfillOptions options)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _rows;

    public int BatchSize { get; private set; } = options.TargetBatchDuration is null
        ? options.BatchSize
        : Math.Clamp(options.BatchSize, options.MinBatchSize, options.MaxBatchSize);

    /// <summary>Records a committed batch; returns how long to wait before the next one.</summary>
    public TimeSpan Done(long rows, TimeSpan took)
    {
        _rows += rows;
        if (options.TargetBatchDuration is { } target && rows > 0)
        {
            double factor = Math.Clamp(target.TotalMilliseconds / Math.Max(1, took.TotalMilliseconds), 0.5, 2.0);
            BatchSize = (int)Math.Clamp(BatchSize * factor, options.MinBatchSize, options.MaxBatchSize);
        }

        var wait = options.BatchDelay;
        if (options.MaxRowsPerSecond is { } rate)
        {
            // The earliest moment the rows done so far are within the rate.
            var due = TimeSpan.FromSeconds(_rows / rate) - _clock.Elapsed;
            wait = due > wait ? due : wait;
        }

        return wait;
    }
}
