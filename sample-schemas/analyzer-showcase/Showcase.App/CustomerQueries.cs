using Dapper;
using Npgsql;

namespace Showcase.App;

/// <summary>Queries written against the shop while change 202611230002 (email → email_address) is in flight.</summary>
public sealed class CustomerQueries(NpgsqlConnection db)
{
    private const string Columns = "id, name, email";

    public Task<string?> EmailAsync(long id) =>
        db.QuerySingleOrDefaultAsync<string>("SELECT " + Columns + " FROM customers WHERE id = @id", new { id }); // expect: MIG0111

    public Task<int> RenameAsync(long id, string name) =>
        db.ExecuteAsync("UPDATE customers SET nmae = @name WHERE id = @id", new { id, name }); // expect: MIG0110

    public Task<long> AddAsync(string emailAddress) =>
        db.ExecuteScalarAsync<long>("INSERT INTO customers (email_address) VALUES (@emailAddress) RETURNING id", new { emailAddress }); // expect: MIG0102

    public Task<long> AddCorrectlyAsync(string name, string emailAddress) =>
        db.ExecuteScalarAsync<long>("INSERT INTO customers (name, email_address) VALUES (@name, @emailAddress) RETURNING id", new { name, emailAddress });

    public Task<int> OrdersAsync(long customerId) =>
        db.ExecuteScalarAsync<int>("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id = @customerId", new { customerId });
}
