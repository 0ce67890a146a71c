using Migrator.Authoring;

namespace Migrator.Tests.Operations;

/// <summary>One write of a workload: the row's id and the values it writes, all derived from them.</summary>
public sealed record Write(long Id, long Iteration)
{
    /// <summary>A string value without spaces.</summary>
    public string V => $"x{Id}i{Iteration}";

    public string A => "a" + V;

    public string B => "b" + V;

    /// <summary>A and B joined by a space (for split and merge).</summary>
    public string AB => A + " " + B;

    /// <summary>A number that fits in int.</summary>
    public long N => (Id % 100_000 * 100) + (Iteration % 100);

    /// <summary>Unique per row and write, short enough for varchar(20).</summary>
    public string C => $"c{Id}-{Iteration % 1000}";

    /// <summary>A JSON document in PostgreSQL's jsonb output form.</summary>
    public string J => $"{{\"n\": {N}}}";

    public long Owner => 1 + (Id % 50);

    public object Parameters => new { id = Id, v = V, a = A, b = B, ab = AB, n = (int)N, c = C, j = J, owner = Owner };
}

/// <summary>What one app version does to the table: an insert, an update and a read of one row, as
/// SQL with Dapper parameters (@id, @v, @a, @b, @ab, @n, @c, @j, @owner).</summary>
public sealed record VersionSql(string Insert, string Update, string Select);

/// <summary>
/// One operation under test: the change that uses it, what app version 1 (before) and 2 (after)
/// run against the table, what each version must read for a row written by either, and a query that
/// counts what is wrong after the contract (0 expected).
/// </summary>
public sealed record OperationScenario(
    string Name,
    Type Change,
    VersionSql V1,
    VersionSql V2,
    Func<int, int, Write, string?> Expect,
    string FinalProblems)
{
    /// <summary>Extra SQL run after the shared seed (e.g. rows in a table only this scenario uses).</summary>
    public string? Seed { get; init; }

    /// <summary>The table the app locks in the lock test (its name before the change).</summary>
    public string Table { get; init; } = "items";

    public override string ToString() => Name;
}

/// <summary>The table every scenario starts from, created by change 1 and seeded before the op's change.</summary>
[Change(1, "scenario base schema", AppVersion = "1.0.0")]
public sealed class ScenarioBase : Change
{
    public const int SeedRows = 2000;

    public const string SeedSql = """
        INSERT INTO owners (id, name) SELECT g, 'owner ' || g FROM generate_series(1, 50) g;
        INSERT INTO items (id, name, qty, note, code, payload, owner_id, given, family)
        SELECT g, 'a' || g || ' b' || g, g, CASE WHEN g % 2 = 0 THEN 'note' || g END, 'c' || g, '{"n": ' || g || '}', 1 + g % 50, 'a' || g, 'b' || g
        FROM generate_series(1, 2000) g;
        INSERT INTO legacy_notes (item_id, body) SELECT g, 'legacy ' || g FROM generate_series(1, 2000) g;
        """;

    protected override void Expand()
    {
        Create.Table("owners")
            .WithColumn("id").AsInt64().PrimaryKey()
            .WithColumn("name").AsString(100).NotNullable();
        Create.Table("items")
            .WithColumn("id").AsInt64().PrimaryKey()
            .WithColumn("name").AsString(200).NotNullable()
            .WithColumn("qty").AsInt32().NotNullable()
            .WithColumn("note").AsCustom("text").Nullable()
            .WithColumn("code").AsString(100).Nullable()
            .WithColumn("payload").AsCustom("text").Nullable()
            .WithColumn("owner_id").AsInt64().Nullable()
            .WithColumn("status").AsCustom("text").NotNullable().WithDefaultValue("new")
            .WithColumn("given").AsCustom("text").Nullable()
            .WithColumn("family").AsCustom("text").Nullable();
        Create.Index("ix_items_name").OnTable("items").OnColumn("name");
        Create.Table("legacy_notes")
            .WithColumn("item_id").AsInt64().PrimaryKey()
            .WithColumn("body").AsCustom("text").NotNullable();
    }
}
