using Migrator.Authoring;

namespace BoxOffice.Migrations.Changes;

/// <summary>App 4.0.0 needs prices beyond 2^31 cents. The view ticket_sales and the materialized view
/// daily_revenue read the column: the contract recreates them on the bigint column (the materialized
/// view filled again) in the transaction that swaps it in; the CHECK (price_cents >= 0) of the old
/// column is added again on the new one and validated in a transaction of its own.</summary>
[Change(3, "Change box.tickets.price_cents to bigint", AppVersion = "4.0.0")]
public sealed class C0003_WidenTicketPrice : Change
{
    public C0003_WidenTicketPrice() => ChangeColumnType("tickets", "price_cents", "bigint", schema: "box");
}
