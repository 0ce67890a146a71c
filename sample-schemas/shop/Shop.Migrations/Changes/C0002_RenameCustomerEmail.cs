using Migrator.Authoring;

namespace Shop.Migrations.Changes;

/// <summary>App 2.0.0 calls the column email_address. Migrator adds it, keeps both in sync while 1.0.0
/// and 2.0.0 both run, backfills old rows, and drops email once 1.0.0 is retired.</summary>
[Change(202611230002, "Rename customers.email to email_address", AppVersion = "2.0.0")]
public sealed class C0002_RenameCustomerEmail : Change
{
    public C0002_RenameCustomerEmail() => RenameColumn("customers", "email", "email_address");
}
