using System.Text.Json;
using Migrator.Dialects.Postgres;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Compatibility;

/// <summary>`plan --verify`: PostgreSQL itself proves which app statements a pending phase breaks, including
/// what raw SQL does that the offline model cannot see, and nothing is left behind.</summary>
public sealed class OnlineVerifyTests : DatabaseTest
{
    private Task<CliResult> Next(params string[] args) => ShopManifests.NextAsync(ConnectionString, args);

    [Test]
    public async Task Verify_on_a_database_without_a_ledger_runs_contracts_that_call_the_ledgers_functions_and_creates_nothing()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP TABLE IF EXISTS order_lines, orders, products, customers CASCADE");
        var verified = await CliRunner.ShopAsync(ConnectionString, "plan", "--verify", "--format", "json");
        Assert.That(verified.ExitCode, Is.EqualTo(0), verified.ToString());
        Assert.That(verified.Output, Does.Not.Contain("MIG0109"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'migrator'"), Is.EqualTo(0), "the rolled-back transaction leaves no ledger");
    }

    [Test]
    public async Task Verify_catches_a_break_hidden_in_raw_sql_and_leaves_nothing_behind()
    {
        Assert.That((await Next("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        Assert.That((await Next("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Next("backfill")).ExitCode, Is.EqualTo(0));
        Assert.That((await Next("deploy", "register", "2.0.0", "--usage", ShopManifests.V2)).ExitCode, Is.EqualTo(0));

        // Offline the DO block of change 5 is opaque: the checker reports only change 4's break.
        var offline = await Next("plan", "--format", "json");
        var offlineErrors = Errors(offline.Output);
        Assert.That(offlineErrors.Select(e => (e.Rule, e.Change)), Is.EqualTo(new[] { ("MIG0101", 202611230004L) }));

        await using var connection = await DataSource.OpenConnectionAsync();
        var before = await SchemaSnapshot.ReadAsync(connection);
        long phases = await ScalarAsync<long>("SELECT count(*) FROM migrator.phases");

        var verified = await Next("plan", "--verify", "--format", "json");
        Assert.That(verified.ExitCode, Is.EqualTo(1), verified.ToString());
        var errors = Errors(verified.Output);
        var hidden = errors.Where(e => e.Rule == "MIG0109" && e.Change == 202611230005).ToList();
        Assert.That(hidden, Has.Count.EqualTo(1), verified.Output);
        Assert.That(hidden[0].Message, Does.Contain("42703").And.Contain("price_cents").And.Contain("does not exist"));
        Assert.That(hidden[0].Location, Is.EqualTo($"OrderRepository.cs:{ShopManifests.V2OrderLineInsert}"));
        Assert.That(errors.Any(e => e.Rule == "MIG0109" && e.Change == 202611230004), Is.True, "PostgreSQL confirms the offline finding too");

        Assert.That(await SchemaSnapshot.ReadAsync(connection), Is.EqualTo(before), "the verification transaction was rolled back");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM migrator.phases"), Is.EqualTo(phases));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'price_cents'"), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted"), Is.EqualTo(0));
    }

    private static List<(string Rule, long? Change, string Message, string? Location)> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() == "error")
            .Select(f => (
                f.GetProperty("ruleId").GetString()!,
                f.GetProperty("changeId").ValueKind == JsonValueKind.Null ? (long?)null : f.GetProperty("changeId").GetInt64(),
                f.GetProperty("message").GetString()!,
                f.GetProperty("location").GetString()))];
    }
}
