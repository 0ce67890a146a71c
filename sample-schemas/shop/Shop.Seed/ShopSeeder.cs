using Npgsql;
using NpgsqlTypes;

namespace Shop.Seed;

/// <summary>
/// Fills the v1 shop schema with deterministic data through binary COPY: customers with an email,
/// products, and an order with one line for every tenth customer.
/// </summary>
public static class ShopSeeder
{
    public static async Task SeedAsync(NpgsqlDataSource db, int customers, int products = 100, int seed = 42)
    {
        var random = new Random(seed);
        await using var connection = await db.OpenConnectionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY customers (name, email) FROM STDIN (FORMAT BINARY)"))
        {
            for (int i = 1; i <= customers; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"Customer {i}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(EmailOf(i), NpgsqlDbType.Varchar);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY products (sku, title, price_cents) FROM STDIN (FORMAT BINARY)"))
        {
            for (int i = 1; i <= products; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"SKU-{i:D6}", NpgsqlDbType.Varchar);
                await copy.WriteAsync($"Product {i}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(random.Next(100, 100_000), NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync();
        }

        await using var orders = new NpgsqlCommand(
            """
            WITH o AS (
                INSERT INTO orders (customer_id) SELECT id FROM customers WHERE id % 10 = 0 RETURNING id
            )
            INSERT INTO order_lines (order_id, line_no, product_id, quantity, price_cents)
            SELECT o.id, 1, p.id, 1 + o.id % 5, p.price_cents
            FROM o JOIN products p ON p.id = 1 + o.id % (SELECT count(*) FROM products)
            """,
            connection);
        await orders.ExecuteNonQueryAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE customers, products, orders, order_lines", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The email the seed gives customer number <paramref name="i"/>.</summary>
    public static string EmailOf(int i) => $"customer{i}@example.com";
}
