using Migrator.Dialects.Postgres;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Adoption;

/// <summary>
/// The adoption proof (issue: adopt a real database). The box office database (sample-schemas/boxoffice/
/// schema.sql: partitions with sub-partitions, views on views, a materialized view, audit and
/// last-update triggers, an enum, a domain, identity columns, a composite key in another order than the
/// columns, foreign-key chains, 12,000 tickets) is adopted with `baseline` alone. Then, with the old and
/// the new app version reading (through the views too) and writing the whole time, four changes run
/// expand → backfill → gate → contract: rename a column a view reads, split a column of the partitioned
/// table, retype a column the materialized view reads, rename a table views read. A fifth is rolled back
/// mid-flight. Nothing fails, nothing is lost, and every object the changes did not mean to change is
/// exactly as it was.
/// </summary>
public sealed class BoxOfficeAdoptionTests : DatabaseTest
{
    private BoxOfficeSample _box = null!;

    [OneTimeSetUp]
    public async Task CreateBoxOffice()
    {
        await ExecuteAsync(BoxOfficeSample.SchemaSql);
        _box = new BoxOfficeSample(ConnectionString);
    }

    [OneTimeTearDown]
    public void RemoveWork() => _box.Dispose();

    private Task<CliResult> Box(params string[] args) => _box.RunAsync(args);

    private Task Ok(params string[] args) => _box.OkAsync(args);

    private async Task<DatabaseSchema> ReadSchemaAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await SchemaReader.ReadAsync(connection, "migrator");
    }

    private const string SeededTickets = "SELECT md5(string_agg(ticket_id || ':' || channel || ':' || sold_on || ':' || {0} || ':' || price_cents, ',' ORDER BY ticket_id)) FROM box.tickets WHERE ticket_id <= 12000";

    private const string SeededVenues = "SELECT md5(string_agg(venue_id || ':' || name || ':' || {0} || ':' || seats || ':' || tags::text || ':' || updated_at, ',' ORDER BY venue_id)) FROM {1} WHERE venue_id <= 40";

    private const string SeededEvents = "SELECT md5(string_agg(event_id || ':' || venue_id || ':' || title || ':' || starts_at || ':' || status || ':' || updated_at, ',' ORDER BY event_id)) FROM box.events";

    [Test]
    public async Task Adopted_with_one_command_then_changes_run_under_traffic_with_nothing_lost_and_nothing_else_changed()
    {
        // Adoption: one command, no ledger edit; the file it writes is the sample's committed baseline.
        var adopted = await Box("baseline");
        Assert.That(adopted.ExitCode, Is.EqualTo(0), adopted.ToString());
        Assert.That(adopted.Output, Does.Contain("4 tables, 4 partitions, 3 views, 1 materialized views"));
        string written = await File.ReadAllTextAsync(_box.BaselinePath);
        Assert.That(written, Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(BoxOfficeSample.SampleDir, BaselineFile.DefaultName))),
            "sample-schemas/boxoffice/migrator-baseline.json is what `baseline` writes for schema.sql");
        Assert.That((await Box("baseline")).Output, Does.Contain("already adopted"), "a re-run changes nothing");

        var plan = await Box("plan");
        Assert.That(plan.ExitCode, Is.EqualTo(0), plan.ToString());
        Assert.That(plan.Output, Does.Contain("recreates materialized view box.daily_revenue").And.Contain("recreates view box.event_listing"));

        var before = await ReadSchemaAsync();
        string? tickets = await ScalarAsync<string>(string.Format(SeededTickets, "holder_name"));
        string? venues = await ScalarAsync<string>(string.Format(SeededVenues, "city", "box.venues"));
        string? events = await ScalarAsync<string>(SeededEvents);

        var versions = new List<BoxOfficeWorkload> { new(1, DataSource) };
        versions[0].Start();
        for (int change = 1; change <= 4; change++)
        {
            var old = versions[^1];
            await Ok("expand", "--change", change.ToString());
            var next = new BoxOfficeWorkload(change + 1, DataSource);
            versions.Add(next);
            next.Start();
            await Task.WhenAll(old.RunsAsync(20), next.RunsAsync(20));
            await Ok("backfill", "--change", change.ToString(), "--skip-user-triggers");
            await Ok("gate", "--to", $"{change + 1}.0.0");
            await Task.WhenAll(old.RunsAsync(20), next.RunsAsync(20));
            await old.StopAsync();
            await Ok("contract", "--change", change.ToString());
            await next.RunsAsync(20);
        }

        // A fifth change, rolled back mid-flight (expanded and backfilled, not contracted): the schema is
        // exactly as before it, while 5.0.0 keeps running.
        var beforeFifth = await ReadSchemaAsync();
        await Ok("expand", "--change", "5");
        Assert.That(await ScalarAsync<bool>("SELECT bool_and(indisvalid) AND count(*) = 5 FROM pg_index WHERE indexrelid::regclass::text LIKE '%tickets_by_holder'"), Is.True,
            "the partitioned index is built on every partition and attached, so it is valid");
        await Ok("backfill", "--change", "5", "--skip-user-triggers");
        await versions[^1].RunsAsync(20);
        await Ok("rollback", "--change", "5");
        Assert.That(SchemaDrift.Compare(beforeFifth, await ReadSchemaAsync()), Is.Empty, "the rollback leaves the schema as it was before the change");
        await versions[^1].RunsAsync(20);
        await versions[^1].StopAsync();

        foreach (var version in versions)
        {
            Assert.That(version.Errors, Is.Empty, $"app {version.Version}.0.0 saw errors");
            Assert.That(version.Tickets, Is.Not.Empty, $"app {version.Version}.0.0 wrote");
        }

        // Nothing lost or diverged: the seeded rows read the same in the final shape (the last-update
        // triggers did not fire on backfilled rows), every row an app wrote reads as it wrote it.
        Assert.That(await ScalarAsync<string>(string.Format(SeededTickets, "holder_first || coalesce(' ' || holder_last, '')")), Is.EqualTo(tickets));
        Assert.That(await ScalarAsync<string>(string.Format(SeededVenues, "town", "box.places")), Is.EqualTo(venues));
        Assert.That(await ScalarAsync<string>(SeededEvents), Is.EqualTo(events));
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            var rows = (await Dapper.SqlMapper.QueryAsync<(long Id, string First, string? Last, long Price)>(connection,
                "SELECT ticket_id, holder_first, holder_last, price_cents FROM box.tickets WHERE ticket_id > 12000")).ToDictionary(r => r.Id);
            var venueRows = (await Dapper.SqlMapper.QueryAsync<(string Name, string Town)>(connection, "SELECT name, town FROM box.places WHERE venue_id > 40")).ToDictionary(r => r.Name, r => r.Town);
            foreach (var version in versions)
            {
                foreach (var (id, wrote) in version.Tickets)
                {
                    Assert.That(rows.TryGetValue(id, out var row), Is.True, $"ticket {id} of app {version.Version}.0.0 is lost");
                    Assert.That((row.First, row.Last, row.Price), Is.EqualTo((wrote.First, wrote.Last, wrote.Price)), $"ticket {id} of app {version.Version}.0.0");
                }

                foreach (var (name, town) in version.Venues)
                {
                    Assert.That(venueRows.GetValueOrDefault(name), Is.EqualTo(town), $"venue {name}");
                }
            }
        }

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM box.audit_log WHERE operation = 'UPDATE'"), Is.EqualTo(0), "no audit row for a backfilled row");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM box.daily_revenue"), Is.GreaterThan(0), "the materialized view was filled again");

        // Every pre-existing object is unchanged except what a change meant to change. The table rename
        // and the column rename are applied to the old picture; what may differ after that is the
        // split and retyped ticket columns and the definitions of the views that read them.
        static string Renamed(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\bbox\.venues\b", "box.places")
            .Replace("column box.places.city", "column box.places.town", StringComparison.Ordinal);
        var expected = SchemaFacts.Of(before).Values.ToDictionary(f => Renamed(f.Key), f => Renamed(f.Value));
        var found = SchemaFacts.Of(await ReadSchemaAsync()).Values.ToDictionary(f => f.Key, f => f.Value);
        var changed = expected.Keys.Union(found.Keys).Where(k => expected.GetValueOrDefault(k) != found.GetValueOrDefault(k)).Order().ToList();
        var meant = new System.Text.RegularExpressions.Regex(
            @"^(column box\.tickets(_\w+)?\.(holder_name|holder_first|holder_last|price_cents)|(materialized )?view box\.(event_listing|upcoming|ticket_sales|daily_revenue)|sequence box\.ticket_numbers)$");
        Assert.That(changed.Where(k => !meant.IsMatch(k)), Is.Empty, "objects changed that no change meant to change");
        Assert.That(changed.Count(k => k.EndsWith(".price_cents", StringComparison.Ordinal)), Is.EqualTo(5), "price_cents is bigint on the table and its 4 partitions");
        Assert.That(found["column box.tickets.price_cents"], Is.EqualTo("bigint not null"));
        Assert.That(found["constraint box.tickets.tickets_price_cents_check"], Is.EqualTo(expected["constraint box.tickets.tickets_price_cents_check"]), "the CHECK on the old column is on the new one, validated");
        string[] kinds = ["schema", "enum", "domain", "sequence", "table", "column", "constraint", "index", "trigger", "view", "materialized view", "function", "comment on table", "comment on view"];
        Assert.That(kinds.Where(kind => !expected.Keys.Any(k => k.StartsWith(kind + " ", StringComparison.Ordinal))), Is.Empty, "the comparison covers every kind of object");
    }
}
