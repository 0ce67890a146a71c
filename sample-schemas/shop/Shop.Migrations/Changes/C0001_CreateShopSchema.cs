using Migrator.Authoring;

namespace Shop.Migrations.Changes;

/// <summary>The shop as app 1.0.0 knows it: customers, products, orders and their lines.</summary>
[Change(202611230001, "Create the shop schema", AppVersion = "1.0.0")]
public sealed class C0001_CreateShopSchema : Change
{
    protected override void Expand()
    {
        Create.Table("customers")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("name").AsString(200).NotNullable()
            .WithColumn("email").AsString(320).NotNullable()
            .WithColumn("created_at").AsDateTimeOffset().NotNullable().WithDefault(FluentMigrator.SystemMethods.CurrentDateTimeOffset);

        Create.Table("products")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("sku").AsString(40).NotNullable().Unique()
            .WithColumn("title").AsString(200).NotNullable()
            .WithColumn("price_cents").AsInt32().NotNullable();

        Create.Table("orders")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("customer_id").AsInt64().NotNullable().ForeignKey("fk_orders_customer", "customers", "id").Indexed("ix_orders_customer_id")
            .WithColumn("placed_at").AsDateTimeOffset().NotNullable().WithDefault(FluentMigrator.SystemMethods.CurrentDateTimeOffset)
            .WithColumn("status").AsString(20).NotNullable().WithDefaultValue("placed");

        Create.Table("order_lines")
            .WithColumn("order_id").AsInt64().NotNullable().PrimaryKey("pk_order_lines").ForeignKey("fk_order_lines_order", "orders", "id")
            .WithColumn("line_no").AsInt32().NotNullable().PrimaryKey("pk_order_lines")
            .WithColumn("product_id").AsInt64().NotNullable().ForeignKey("fk_order_lines_product", "products", "id").Indexed("ix_order_lines_product_id")
            .WithColumn("quantity").AsInt32().NotNullable()
            .WithColumn("price_cents").AsInt32().NotNullable();
    }
}
