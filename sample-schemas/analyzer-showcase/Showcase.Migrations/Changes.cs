using FluentMigrator.Postgres;
using Migrator.Authoring;

namespace Showcase.Migrations;

/// <summary>Migrator changes: the expand phase must be additive; contract may drop.</summary>
[Change(202611230201, "Tidy customers", AppVersion = "3.0.0")]
public sealed class TidyCustomers : Change
{
    protected override void Expand()
    {
        var delete = Delete.Column("nickname");
        delete.FromTable("customers"); // expect: MIG0041
        Create.Index("ix_customers_name").OnTable("customers").OnColumn("name").Ascending().WithOptions().AsConcurrently();
    }

    protected override void Contract() => Delete.Column("legacy_flag").FromTable("customers");
}

[Change(202611230202, "No version")] // expect: MIG0040
public sealed class Unversioned : Change
{
    public Unversioned() => AddColumn("orders", "gift", "boolean");
}
