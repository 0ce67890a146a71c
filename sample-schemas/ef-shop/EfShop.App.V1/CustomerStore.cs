using Microsoft.EntityFrameworkCore;

namespace EfShop.V1;

/// <summary>What app 1.0.0 does with customers, all through EF Core: one context per call, as a web
/// request would have.</summary>
public sealed class CustomerStore(string connectionString)
{
    private readonly DbContextOptions<ShopContext> _options = new DbContextOptionsBuilder<ShopContext>().UseNpgsql(connectionString).Options;

    /// <summary>A new customer with a first order; returns the customer's id.</summary>
    public async Task<long> CreateAsync(string name, string email, decimal total)
    {
        await using var db = new ShopContext(_options);
        var customer = new Customer { Name = name, Email = email };
        customer.Orders.Add(new Order { Total = total });
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer.Id;
    }

    public async Task ChangeEmailAsync(long id, string email)
    {
        await using var db = new ShopContext(_options);
        var customer = await db.Customers.SingleAsync(c => c.Id == id);
        customer.Email = email;
        await db.SaveChangesAsync();
    }

    /// <summary>The customer's email, or null when there is no such customer.</summary>
    public async Task<string?> EmailAsync(long id)
    {
        await using var db = new ShopContext(_options);
        return (await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id))?.Email;
    }

    /// <summary>How many orders the customer has, read with the customer.</summary>
    public async Task<int> OrderCountAsync(long id)
    {
        await using var db = new ShopContext(_options);
        var customer = await db.Customers.AsNoTracking().Include(c => c.Orders).SingleAsync(c => c.Id == id);
        return customer.Orders.Count;
    }

    public async Task<int> CountByEmailAsync(string email)
    {
        await using var db = new ShopContext(_options);
        return await db.Customers.CountAsync(c => c.Email == email);
    }
}
