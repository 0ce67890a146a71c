using Microsoft.EntityFrameworkCore;
using System.ComponentModel.DataAnnotations.Schema;

namespace EfShop;

public class Customer
{
    public long Id { get; set; }
    public string Email { get; set; } = "";
    [Column("display_name")]
    public string? Name { get; set; }
    public Address ShippingAddress { get; set; } = new();
    public List<Order> Orders { get; set; } = [];
}

[Owned]
public class Address
{
    public string Street { get; set; } = "";
    public string? City { get; set; }
}

public class Order
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public DateTimeOffset PlacedAt { get; set; }
    public List<OrderLine> Lines { get; set; } = [];
}

public class OrderLine
{
    public long OrderId { get; set; }
    public int LineNo { get; set; }
    public int Quantity { get; set; }
    public Money Price { get; set; } = new();
}

public class Money
{
    public long Cents { get; set; }
    public string Currency { get; set; } = "EUR";
}

// TPH: payments with a discriminator
public abstract class Payment
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public long AmountCents { get; set; }
}
public class CardPayment : Payment { public string Last4 { get; set; } = ""; }
public class InvoicePayment : Payment { public DateOnly DueOn { get; set; } }

// TPT: products and digital products
public class Product
{
    public long Id { get; set; }
    public string Sku { get; set; } = "";
}
public class DigitalProduct : Product { public string DownloadUrl { get; set; } = ""; }

public class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasDefaultSchema("shop");
        b.Entity<Customer>().OwnsOne(c => c.ShippingAddress);
        b.Entity<Customer>().Property<DateTime>("LastSeenAt"); // shadow property
        b.Entity<OrderLine>(e => { e.ToTable("order_items"); e.HasKey(l => new { l.OrderId, l.LineNo }); e.OwnsOne(l => l.Price); });
        b.Entity<Order>().HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId);
        b.Entity<Payment>().HasDiscriminator<string>("kind").HasValue<CardPayment>("card").HasValue<InvoicePayment>("invoice");
        b.Entity<Product>().UseTptMappingStrategy();
        b.Entity<DigitalProduct>().ToTable("digital_products");
    }
}

public class Factory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<ShopContext>
{
    public ShopContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ShopContext>().UseNpgsql("Host=localhost;Database=x").Options);
}

public static class Program { public static void Main() { } }
