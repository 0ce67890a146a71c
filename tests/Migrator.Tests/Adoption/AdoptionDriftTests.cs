using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Adoption;

/// <summary>
/// The baseline command's own rules and drift, on the box office database: re-running adopts nothing
/// twice, another baseline file or a database changes already ran on is refused, --replace folds
/// settled changes in; a manual change is reported object by object by status, plan and gate, blocks
/// only the expand it touches, and stays drift after a phase runs until it is undone.
/// </summary>
public sealed class AdoptionDriftTests : DatabaseTest
{
    private BoxOfficeSample _box = null!;

    [SetUp]
    public async Task FreshBoxOffice()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS box CASCADE; DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE;");
        await ExecuteAsync(BoxOfficeSample.SchemaSql);
        _box = new BoxOfficeSample(ConnectionString);
    }

    [TearDown]
    public void RemoveWork() => _box.Dispose();

    private string BaselinePath => _box.BaselinePath;

    private Task<CliResult> Box(params string[] args) => _box.RunAsync(args);

    private Task<CliResult> Ok(params string[] args) => _box.OkAsync(args);

    [Test]
    public async Task Drift_is_reported_object_by_object_blocks_only_the_expand_it_touches_and_stays_until_undone()
    {
        await Ok("baseline");
        Assert.That((await Ok("status")).Output, Does.Contain("drift: no drift since baseline"));

        // The two manual changes docs/adopting.md shows.
        await ExecuteAsync("ALTER TABLE box.venues ALTER COLUMN seats DROP NOT NULL; CREATE INDEX events_title_idx ON box.events (title);");
        var status = await Ok("status");
        Assert.That(status.Output, Does.Contain("drift: 2 difference(s) since baseline"));
        Assert.That(status.Output, Does.Contain("  column box.venues.seats: expected box.seat_count not null, found box.seat_count\n"));
        Assert.That(status.Output, Does.Contain("  index box.events_title_idx: not expected, found CREATE INDEX events_title_idx ON box.events USING btree (title)\n"));

        var plan = await Box("plan", "--format", "json");
        Assert.That(plan.ExitCode, Is.EqualTo(1), plan.ToString());
        Assert.That(plan.Output, Does.Contain("MIG0114").And.Contain("change 5 alters this table, so its expand is refused"));

        // Change 5 retypes events.title, which the new index reads: refused. Change 1 renames
        // venues.city: the drift on venues.seats is not what it changes.
        var refused = await Box("expand", "--change", "5");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("has drifted").And.Contain("events_title_idx"));
        await Ok("expand", "--change", "1");
        await Ok("backfill", "--change", "1");
        var gate = await Ok("gate", "--to", "2.0.0");
        Assert.That(gate.Output, Does.Contain("no drift on the tables"));

        // Running a phase does not make the manual changes part of the record.
        status = await Ok("status");
        Assert.That(status.Output, Does.Contain("drift: 2 difference(s) since expand 1"));

        await ExecuteAsync("DROP INDEX box.events_title_idx; ALTER TABLE box.venues ALTER COLUMN seats SET NOT NULL;");
        Assert.That((await Ok("status")).Output, Does.Contain("drift: no drift since expand 1"));
        Assert.That((await Box("plan", "--format", "json")).ExitCode, Is.EqualTo(0), "nothing is refused any more");
    }

    [Test]
    public async Task Baseline_is_idempotent_refuses_another_file_and_replace_folds_settled_changes_in()
    {
        await Ok("baseline");
        Assert.That((await Ok("baseline")).Output, Does.Contain("already adopted"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.history WHERE command = 'baseline' AND outcome = 'done'"), Is.EqualTo(1));

        string original = await File.ReadAllTextAsync(BaselinePath);
        await File.WriteAllTextAsync(BaselinePath, original.Replace("Where events happen", "Where events take place", StringComparison.Ordinal));
        var other = await Box("baseline");
        Assert.That(other.ExitCode, Is.EqualTo(2), other.ToString());
        Assert.That(other.Error, Does.Contain("differs").And.Contain("--replace"));
        var plan = await Box("plan", "--format", "json");
        Assert.That(plan.Output, Does.Contain("the baseline file differs from the one recorded at adoption"));
        await File.WriteAllTextAsync(BaselinePath, original);

        await Ok("expand", "--change", "1");
        await Ok("backfill", "--change", "1");
        await Ok("contract", "--change", "1");
        await Ok("expand", "--change", "2");
        var inFlight = await Box("baseline", "--replace");
        Assert.That(inFlight.ExitCode, Is.EqualTo(1), inFlight.ToString());
        Assert.That(inFlight.Error, Does.Contain("change 2"));
        await Ok("rollback", "--change", "2");

        var replaced = await Ok("baseline", "--replace");
        Assert.That(replaced.Output, Does.Contain("adopted again"));
        var baseline = BaselineFile.Read(BaselinePath);
        Assert.That(baseline.IncludesChangesThrough, Is.EqualTo(1));
        Assert.That(baseline.Tables.Single(t => t.Name == "venues").Columns.Select(c => c.Name), Does.Contain("town").And.Not.Contain("city"));
        var status = await Ok("status");
        Assert.That(status.Output, Does.Not.Contain("Rename box.venues.city to town"), "change 1 is part of the new baseline");
        Assert.That(status.Output, Does.Contain("Split box.tickets.holder_name"));
        await Ok("expand", "--change", "2");
    }

    [Test]
    public async Task A_database_changes_already_ran_on_is_not_adopted()
    {
        var shop = await CliRunner.ShopAsync(ConnectionString, "expand", "--change", "202611230001");
        Assert.That(shop.ExitCode, Is.EqualTo(0), shop.ToString());
        var refused = await Box("baseline");
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error, Does.Contain("changes have already run on this database"));
        Assert.That(File.Exists(BaselinePath), Is.False);
    }
}
