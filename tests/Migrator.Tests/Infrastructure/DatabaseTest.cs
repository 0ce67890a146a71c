using Npgsql;

namespace Migrator.Tests.Infrastructure;

/// <summary>Base of tests that need a database: a fresh one per test class, dropped after.</summary>
public abstract class DatabaseTest
{
    protected string ConnectionString { get; private set; } = "";

    protected NpgsqlDataSource DataSource { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateDatabase()
    {
        ConnectionString = TestServer.Cluster.CreateDatabase("t_" + GetType().Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        await DataSource.DisposeAsync();
        TestServer.Cluster.DropDatabase(ConnectionString);
    }

    /// <summary>A connection of its own, not from the pool: closing it ends its session, so session
    /// advisory locks taken on it (a stand-in for another migrator) go with it and no later test
    /// meets them on a pooled connection.</summary>
    protected async Task<NpgsqlConnection> OpenUnpooledAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        object? value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
