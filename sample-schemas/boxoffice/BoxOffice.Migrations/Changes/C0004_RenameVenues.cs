using Migrator.Authoring;

namespace BoxOffice.Migrations.Changes;

/// <summary>App 5.0.0 calls venues places. The views follow the table (PostgreSQL binds them to it, not
/// to its name); 4.0.0 goes on reading and writing through a view named venues until the contract.</summary>
[Change(4, "Rename box.venues to box.places", AppVersion = "5.0.0")]
public sealed class C0004_RenameVenues : Change
{
    public C0004_RenameVenues() => RenameTable("venues", "places", schema: "box");
}
