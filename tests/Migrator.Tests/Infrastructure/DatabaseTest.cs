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
