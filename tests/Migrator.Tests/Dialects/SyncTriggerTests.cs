using Migrator.Dialects.Postgres;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Dialects;

/// <summary>The rename sync trigger on a real table: whichever version writes, both columns agree.</summary>
public sealed class SyncTriggerTests : DatabaseTest
{
    [SetUp]
    public async Task CreateTableAsync()
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS people;
            CREATE TABLE people (id int PRIMARY KEY, mail text NOT NULL DEFAULT 'none@example.com', mail_address text);
            """);
        foreach (var statement in SyncTrigger.Mirror("migrator", 7, "public", "people", "mail", "mail_address").Create())
        {
            await ExecuteAsync(statement.Sql);
        }
    }

    [TestCase("INSERT INTO people (id, mail) VALUES (1, 'old@x')", "old@x", TestName = "old version inserts the old column")]
    [TestCase("INSERT INTO people (id, mail_address) VALUES (1, 'new@x')", "new@x", TestName = "new version inserts the new column into a NOT NULL old one")]
    [TestCase("INSERT INTO people (id) VALUES (1)", "none@example.com", TestName = "insert of neither takes the old column's default")]
    [TestCase("INSERT INTO people (id, mail, mail_address) VALUES (1, 'old@x', 'new@x')", "new@x", TestName = "both given: the new side wins")]
    public async Task Inserts_leave_both_columns_equal(string insert, string expected)
    {
        await ExecuteAsync(insert);
        Assert.That(await ScalarAsync<string>("SELECT mail || '|' || mail_address FROM people WHERE id = 1"), Is.EqualTo($"{expected}|{expected}"));
    }

    [TestCase("UPDATE people SET mail = 'changed@x'", "changed@x", TestName = "old version updates the old column")]
    [TestCase("UPDATE people SET mail_address = 'changed@x'", "changed@x", TestName = "new version updates the new column")]
    [TestCase("UPDATE people SET mail = 'o@x', mail_address = 'n@x'", "n@x", TestName = "both changed: the new side wins")]
    public async Task Updates_copy_the_changed_side(string update, string expected)
    {
        await ExecuteAsync("INSERT INTO people (id, mail) VALUES (1, 'first@x')");
        await ExecuteAsync(update);
        Assert.That(await ScalarAsync<string>("SELECT mail || '|' || mail_address FROM people WHERE id = 1"), Is.EqualTo($"{expected}|{expected}"));
    }

    [Test]
    public async Task Backfill_writes_are_not_synced_back()
    {
        await ExecuteAsync("INSERT INTO people (id, mail) VALUES (1, 'first@x')");
        await ExecuteAsync("BEGIN; SET LOCAL migrator.backfill = 'on'; UPDATE people SET mail_address = 'derived@x'; COMMIT;");
        Assert.That(await ScalarAsync<string>("SELECT mail || '|' || mail_address FROM people WHERE id = 1"), Is.EqualTo("first@x|derived@x"),
            "the backfill's write to the new column must not rewrite the old one");
    }

    [Test]
    public async Task The_trigger_does_not_depend_on_search_path()
    {
        await ExecuteAsync("SET search_path = pg_catalog; INSERT INTO public.people (id, mail_address) VALUES (1, 'path@x'); RESET search_path;");
        Assert.That(await ScalarAsync<string>("SELECT mail FROM people WHERE id = 1"), Is.EqualTo("path@x"));
    }
}
