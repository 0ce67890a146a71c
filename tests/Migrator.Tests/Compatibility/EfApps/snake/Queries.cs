using Microsoft.EntityFrameworkCore;

namespace EfShop;

public sealed class Reports(ShopContext db)
{
    public Task<List<Customer>> Recent(DateTime since) =>
        db.Customers.FromSql($"SELECT * FROM shop.customers WHERE last_seen_at > {since}").ToListAsync();

    public Task<int> Forget(long id) =>
        db.Database.ExecuteSqlRawAsync("UPDATE shop.customers SET display_name = NULL WHERE id = {0}", id);

    public Task<int> Dynamic(string table) =>
        db.Database.ExecuteSqlRawAsync("DELETE FROM " + table);
}
