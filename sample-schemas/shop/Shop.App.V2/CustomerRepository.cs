using Dapper;
using Npgsql;

namespace Shop.App.V2;

/// <summary>App 2.0.0's data access for customers: the column is called email_address.</summary>
public sealed class CustomerRepository(NpgsqlDataSource db)
{
    public async Task<long> CreateAsync(string name, string emailAddress)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO customers (name, email_address) VALUES (@name, @emailAddress) RETURNING id", new { name, emailAddress });
    }

    public async Task<Customer?> GetAsync(long id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Customer>(
            "SELECT id, name, email_address AS EmailAddress FROM customers WHERE id = @id", new { id });
    }

    public async Task<int> ChangeEmailAsync(long id, string emailAddress)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteAsync("UPDATE customers SET email_address = @emailAddress WHERE id = @id", new { id, emailAddress });
    }

    public async Task<IReadOnlyList<Customer>> FindByEmailAsync(string emailAddress)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Customer>(
            "SELECT id, name, email_address AS EmailAddress FROM customers WHERE email_address = @emailAddress ORDER BY id LIMIT 10", new { emailAddress })];
    }
}
