namespace Migrator.Bench;

/// <summary>An app writer of the backfill benches, started and warm.</summary>
public interface IAppWriter
{
    /// <summary>Stops the writer; each counted write's latency in milliseconds.</summary>
    Task<List<double>> StopAsync();
}
