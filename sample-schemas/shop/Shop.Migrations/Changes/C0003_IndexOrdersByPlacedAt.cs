using FluentMigrator.Postgres;
using Migrator.Authoring;

namespace Shop.Migrations.Changes;

/// <summary>App 2.0.0 lists recent orders: an index built CONCURRENTLY, so writes never wait on it.</summary>
[Change(202611230003, "Index orders by placed_at", AppVersion = "2.0.0")]
public sealed class C0003_IndexOrdersByPlacedAt : Change
{
    protected override void Expand() =>
        Create.Index("ix_orders_placed_at").OnTable("orders")
            .OnColumn("placed_at").Descending()
            .WithOptions().AsConcurrently();
}
