using Migrator.Authoring;
using Migrator.Authoring.Operations;

namespace BoxOffice.Migrations.Changes;

/// <summary>App 3.0.0 stores a ticket holder's first and last name apart. tickets is partitioned by
/// sale date and sub-partitioned by channel: the columns and the sync trigger reach every partition,
/// and the backfill goes one partition at a time.</summary>
[Change(2, "Split box.tickets.holder_name into holder_first and holder_last", AppVersion = "3.0.0")]
public sealed class C0002_SplitHolderName : Change
{
    public C0002_SplitHolderName() => SplitColumn("tickets", "holder_name",
        [
            new NewColumn("holder_first", "text", "split_part(holder_name, ' ', 1)", Nullable: false),
            new NewColumn("holder_last", "text", "nullif(substr(holder_name, length(split_part(holder_name, ' ', 1)) + 2), '')"),
        ],
        down: "holder_first || coalesce(' ' || holder_last, '')",
        schema: "box");
}
