using Migrator.Authoring;

namespace Shop.Migrations.Changes;

/// <summary>
/// A plausible mistake: the author believes app 2.0.0 reads prices from products only, so the copy of
/// the price on each order line can go once 2.0.0 is the oldest live version. But 2.0.0's
/// OrderRepository still writes order_lines.price_cents: the compatibility checker refuses the contract
/// while 2.0.0 is live, naming the statement's file and line.
/// </summary>
[Change(202611230004, "Drop order_lines.price_cents (prices come from products)", AppVersion = "2.0.0")]
public sealed class C0004_DropOrderLinePrice : Change
{
    public C0004_DropOrderLinePrice() =>
        DropColumn("order_lines", "price_cents", down: "(SELECT p.price_cents FROM products p WHERE p.id = NEW.product_id)");
}
