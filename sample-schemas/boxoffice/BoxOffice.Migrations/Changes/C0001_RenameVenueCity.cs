using Migrator.Authoring;

namespace BoxOffice.Migrations.Changes;

/// <summary>App 2.0.0 calls a venue's city its town. The views event_listing and upcoming read the
/// column: the contract moves them onto town in its own transaction (they keep showing it as city).</summary>
[Change(1, "Rename box.venues.city to town", AppVersion = "2.0.0")]
public sealed class C0001_RenameVenueCity : Change
{
    public C0001_RenameVenueCity() => RenameColumn("venues", "city", "town", schema: "box");
}
