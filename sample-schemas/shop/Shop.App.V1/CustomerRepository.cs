using Dapper;
using Npgsql;

namespace Shop.App.V1;

/// <summary>App 1.0.0's data access for customers: the column is called email.</summary>
public sealed class CustomerRepository(NpgsqlDataSource db)
{
    public async Task<long> CreateAsync(string name, string email)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO customers (name, email) VALUES (@name, @email) RETURNING id", new { name, email });
    }

    public async Task<Customer?> GetAsync(long id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Customer>(
            "SELECT id, name, email FROM customers WHERE id = @id", new { id });
    }

    public async Task<int> ChangeEmailAsync(long id, string email)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteAsync("UPDATE customers SET email = @email WHERE id = @id", new { id, email });
    }

    public async Task<IReadOnlyList<Customer>> FindByEmailAsync(string email)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Customer>(
            "SELECT id, name, email FROM customers WHERE email = @email ORDER BY id LIMIT 10", new { email })];
    }
}
