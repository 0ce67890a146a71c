using Migrator.Authoring;

namespace BoxOffice.Migrations.Changes;

/// <summary>App 6.0.0 looks tickets up by holder, and shortens event titles. The index is built on
/// each partition concurrently and attached to the partitioned parent's. (The proof rolls this
/// change back mid-flight.)</summary>
[Change(5, "Index box.tickets by holder; box.events.title to varchar(200)", AppVersion = "6.0.0")]
public sealed class C0005_IndexTicketsByHolder : Change
{
    public C0005_IndexTicketsByHolder()
    {
        CreateIndex("tickets", "tickets_by_holder", ["holder_last", "holder_first"], schema: "box");
        ChangeColumnType("events", "title", "varchar(200)", schema: "box");
    }
}
