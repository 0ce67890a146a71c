using FluentMigrator;

namespace Showcase.Migrations;

/// <summary>A plain FluentMigrator migration runs all at once while the old app version is live.</summary>
[Migration(202611230101)]
public sealed class RenameAndDrop : Migration
{
    public override void Up()
    {
        Rename.Column("email").OnTable("customers").To("email_address"); // expect: MIG0004
        Delete.Column("legacy_flag").FromTable("customers"); // expect: MIG0041
        Alter.Column("price_cents").OnTable("products").AsInt64(); // expect: MIG0007
    }

    public override void Down()
    {
        // A rollback: not judged.
        Rename.Column("email_address").OnTable("customers").To("email");
    }
}

[Migration(202611230102)]
public sealed class AddColumnsAndIndexes : Migration
{
    public override void Up()
    {
        Alter.Table("orders").AddColumn("channel").AsString(20).NotNullable(); // expect: MIG0009
        Alter.Table("orders").AddColumn("public_id").AsGuid().Nullable().WithDefault(SystemMethods.NewGuid); // expect: MIG0011
        Create.Index("ix_orders_status").OnTable("orders").OnColumn("status").Ascending(); // expect: MIG0021
        Create.ForeignKey("fk_orders_coupon").FromTable("orders").ForeignColumn("coupon_id").ToTable("coupons").PrimaryColumn("id"); // expect: MIG0015
        Update.Table("orders").Set(new { channel = "web" }).AllRows(); // expect: MIG0029
        Execute.Sql("TRUNCATE sessions"); // expect: MIG0036

        // Safe: a new table, its index and a nullable column.
        Create.Table("coupons").WithColumn("id").AsInt64().PrimaryKey().WithColumn("code").AsString(40).NotNullable();
        Create.Index("ix_coupons_code").OnTable("coupons").OnColumn("code").Ascending();
        Alter.Table("orders").AddColumn("note").AsString().Nullable();
    }

    public override void Down()
    {
    }
}
