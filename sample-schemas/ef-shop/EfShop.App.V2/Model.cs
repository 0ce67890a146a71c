using Microsoft.EntityFrameworkCore;

namespace EfShop.V2;

public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Was Email in 1.0.0: the migration RenameEmail renames the column.</summary>
    public string ContactEmail { get; set; } = "";

    public List<Order> Orders { get; set; } = [];
}

public sealed class Order
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public decimal Total { get; set; }

    public DateTime PlacedAt { get; set; }

    /// <summary>New in 2.0.0.</summary>
    public string? Note { get; set; }
}

/// <summary>The shop's model in app 2.0.0.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>().Property(c => c.ContactEmail).HasMaxLength(200);
        modelBuilder.Entity<Customer>().HasIndex(c => c.Name);
        modelBuilder.Entity<Order>().Property(o => o.Total).HasPrecision(10, 2);
        modelBuilder.Entity<Order>().Property(o => o.PlacedAt).HasDefaultValueSql("now()");
        modelBuilder.Entity<Order>().HasIndex(o => o.PlacedAt);
    }
}
