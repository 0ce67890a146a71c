using Npgsql;
using Shop.Seed;

// dotnet run --project sample-schemas/shop/Shop.Seed -- "<connection string>" [customers]
if (args.Length is < 1 or > 2 || (args.Length == 2 && !int.TryParse(args[1], out _)))
{
    Console.Error.WriteLine("usage: Shop.Seed <connection string> [customers (default 50000)]");
    return 2;
}

int customers = args.Length == 2 ? int.Parse(args[1]) : 50_000;
await using var db = NpgsqlDataSource.Create(args[0]);
await ShopSeeder.SeedAsync(db, customers);
Console.WriteLine($"seeded {customers} customers");
return 0;
