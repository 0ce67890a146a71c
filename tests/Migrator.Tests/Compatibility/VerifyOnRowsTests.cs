using System.Text.Json;
using Migrator.Tests.Compatibility;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Compatibility;

/// <summary>`plan --verify` on a database with rows: a contract's validation that waits for the
/// backfill is a note, not a database error; after the backfill a row that would break the contract
/// is an error; and every format says what was verified.</summary>
public sealed class VerifyOnRowsTests : DatabaseTest
{
    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    [Test]
    public async Task Verify_before_the_backfill_notes_the_validation_and_after_it_finds_a_breaking_row()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("deploy", "register", "1.0.0", "--usage", ShopManifests.V1)).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 500);

        var before = await Cli("plan", "--verify", "--usage", "2.0.0=" + ShopManifests.V2, "--format", "json");
        Assert.That(before.ExitCode, Is.EqualTo(0), before.ToString());
        using (var json = JsonDocument.Parse(before.Output))
        {
            var notes = json.RootElement.GetProperty("findings").EnumerateArray()
                .Where(f => f.GetProperty("ruleId").GetString() == "MIG0109").ToList();
            Assert.That(notes, Is.Not.Empty);
            Assert.That(notes.All(f => f.GetProperty("severity").GetString() == "info"), Is.True);
            Assert.That(notes[0].GetProperty("message").GetString(), Does.Contain("wait for its backfill"));
            var verified = json.RootElement.GetProperty("verified");
            Assert.That(verified.GetProperty("phases").GetInt32(), Is.EqualTo(3), "expand 2, expand 3, contract 2");
            Assert.That(verified.GetProperty("versions").GetInt32(), Is.EqualTo(2));

            // 1.0.0's statements are planned after each expand, 2.0.0's after every phase: never 1.0.0
            // after the contract that removes its column, and never a 1.0.0 break.
            Assert.That(verified.GetProperty("appStatementPlans").GetInt32(), Is.GreaterThan(0));
            Assert.That(json.RootElement.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("severity").GetString() == "error"), Is.False);
        }

        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));

        // A row the contract's NOT NULL would refuse, written behind the sync trigger's back.
        await ExecuteAsync("ALTER TABLE customers DISABLE TRIGGER USER; UPDATE customers SET email_address = NULL WHERE id = (SELECT min(id) FROM customers); ALTER TABLE customers ENABLE TRIGGER USER;");
        var after = await Cli("plan", "--verify");
        Assert.That(after.ExitCode, Is.EqualTo(1), after.ToString());
        Assert.That(after.Output, Does.Contain("contract of change 202611230002 will fail on today's rows: 23514"));
        Assert.That(after.Output, Does.Contain("verified in a rolled-back transaction: 1 phase(s) applied"));

        var markdown = await Cli("plan", "--verify", "--format", "markdown");
        Assert.That(markdown.Output.Split('\n')[0], Does.Contain("verified in a rolled-back transaction"));
        var sarif = await Cli("plan", "--verify", "--format", "sarif");
        using var log = JsonDocument.Parse(sarif.Output);
        string notice = log.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0].GetProperty("toolExecutionNotifications")[0].GetProperty("message").GetProperty("text").GetString()!;
        Assert.That(notice, Does.Contain("verified in a rolled-back transaction: 1 phase(s) applied"));
    }
}
