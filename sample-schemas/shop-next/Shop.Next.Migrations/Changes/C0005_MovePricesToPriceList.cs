using Migrator.Authoring;

namespace Shop.Migrations.Changes;

/// <summary>
/// Raw SQL the offline model cannot see through: a DO block that drops products.price_cents with dynamic
/// SQL. `plan` alone cannot tell what it removes; `plan --verify` applies it in a rolled-back
/// transaction and PostgreSQL itself reports that app 2.0.0's INSERT … SELECT p.price_cents no longer plans.
/// </summary>
[Change(202611230005, "Move prices to a price list (raw SQL)", AppVersion = "2.0.0")]
public sealed class C0005_MovePricesToPriceList : Change
{
    public C0005_MovePricesToPriceList() =>
        Sql(
            Phase.Contract,
            "DO $$ BEGIN EXECUTE format('ALTER TABLE %I.%I DROP COLUMN %I', 'public', 'products', 'price_cents'); END $$;",
            touches: ["products.price_cents"]);
}
