using Microsoft.EntityFrameworkCore;

namespace EfShop.V1;

public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public List<Order> Orders { get; set; } = [];
}

public sealed class Order
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public decimal Total { get; set; }

    public DateTime PlacedAt { get; set; }
}

/// <summary>The shop's model in app 1.0.0.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>().Property(c => c.Email).HasMaxLength(200);
        modelBuilder.Entity<Customer>().HasIndex(c => c.Name);
        modelBuilder.Entity<Order>().Property(o => o.Total).HasPrecision(10, 2);
        modelBuilder.Entity<Order>().Property(o => o.PlacedAt).HasDefaultValueSql("now()");
    }
}
