using Migrator.Tests.Infrastructure;

/// <summary>Starts one PostgreSQL cluster for the whole test run and stops it at the end.</summary>
[SetUpFixture]
public sealed class TestServer
{
    private static PostgresCluster? _cluster;

    /// <summary>The run's server; starting it failed the run if it could not start.</summary>
    public static PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("the test PostgreSQL server is not running");

    [OneTimeSetUp]
    public void Start() => _cluster = PostgresCluster.Start();

    [OneTimeTearDown]
    public void Stop()
    {
        _cluster?.Dispose();
        _cluster = null;
    }
}
