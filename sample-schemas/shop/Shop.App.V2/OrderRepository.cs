using Dapper;
using Npgsql;

namespace Shop.App.V2;

/// <summary>App 2.0.0's orders: places an order with its lines in one transaction.</summary>
public sealed class OrderRepository(NpgsqlDataSource db)
{
    public async Task<long> PlaceAsync(long customerId, long productId, int quantity)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        long orderId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO orders (customer_id) VALUES (@customerId) RETURNING id", new { customerId }, tx);
        await connection.ExecuteAsync(
            """
            INSERT INTO order_lines (order_id, line_no, product_id, quantity, price_cents)
            SELECT @orderId, 1, p.id, @quantity, p.price_cents FROM products p WHERE p.id = @productId
            """,
            new { orderId, productId, quantity },
            tx);
        await tx.CommitAsync();
        return orderId;
    }

    public async Task<int> CountForCustomerAsync(long customerId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id = @customerId", new { customerId });
    }
}
