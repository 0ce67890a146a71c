using Migrator.Backfill;

namespace Migrator.Tests.Infrastructure;

/// <summary>Calls <paramref name="report"/> on the backfill's own thread, as each batch reports
/// (<see cref="Progress{T}"/> would post to the thread pool, after the run may have ended).</summary>
public sealed class OnProgress(Action<BackfillProgress> report) : IProgress<BackfillProgress>
{
    public void Report(BackfillProgress value) => report(value);
}
