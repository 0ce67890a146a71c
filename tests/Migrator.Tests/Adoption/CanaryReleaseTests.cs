using Migrator.Dialects.Postgres;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Adoption;

/// <summary>
/// Releases as teams run them, on the adopted box office database, with a workload for every version
/// while it is live (docs/pipelines.md): three versions live at once during a rolling update, each
/// contract held until the right retirement; a canary aborted (retire, then rollback) while the stable
/// version runs on; a blue/green switch to the new version, back, and forward again. Every version sees
/// 0 errors at every moment it is live.
/// </summary>
public sealed class CanaryReleaseTests : DatabaseTest
{
    private BoxOfficeSample _box = null!;

    [OneTimeSetUp]
    public async Task Adopt()
    {
        await ExecuteAsync(BoxOfficeSample.SchemaSql);
        _box = new BoxOfficeSample(ConnectionString);
        await Ok("baseline");
    }

    [OneTimeTearDown]
    public void RemoveWork() => _box.Dispose();

    private Task<CliResult> Box(params string[] args) => _box.RunAsync(args);

    private Task Ok(params string[] args) => _box.OkAsync(args);

    private async Task Refused(string because, params string[] args)
    {
        var result = await Box(args);
        Assert.That(result.ExitCode, Is.EqualTo(1), $"{string.Join(' ', args)}\n{result}");
        Assert.That(result.Error + result.Output, Does.Contain(because));
    }

    private async Task<DatabaseSchema> SchemaAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await SchemaReader.ReadAsync(connection, "migrator");
    }

    private BoxOfficeWorkload Live(int version)
    {
        var workload = new BoxOfficeWorkload(version, DataSource);
        workload.Start();
        _all.Add(workload);
        return workload;
    }

    private readonly List<BoxOfficeWorkload> _all = [];

    [Test]
    public async Task Rolling_update_canary_abort_and_blue_green_switch_back_with_zero_errors()
    {
        // Rolling update: 1.0.0, 2.0.0 and 3.0.0 live together.
        var v1 = Live(1);
        await Ok("deploy", "register", "1.0.0", "--slot", "stable");
        await Ok("expand", "--to", "3.0.0");
        await Ok("backfill", "--skip-user-triggers");
        await Ok("deploy", "register", "2.0.0", "--slot", "canary");
        var v2 = Live(2);
        await Ok("deploy", "register", "3.0.0", "--slot", "canary");
        var v3 = Live(3);
        await Task.WhenAll(v1.RunsAsync(20), v2.RunsAsync(20), v3.RunsAsync(20));
        await Refused("would break live version(s) 1.0.0", "contract", "--change", "1");

        await v1.StopAsync();
        await Ok("deploy", "retire", "1.0.0");
        await Ok("contract", "--change", "1");
        await Task.WhenAll(v2.RunsAsync(20), v3.RunsAsync(20));
        await Refused("would break live version(s) 2.0.0", "contract", "--change", "2");
        await v2.StopAsync();
        await Ok("deploy", "retire", "2.0.0");
        await Ok("contract", "--change", "2");
        await v3.RunsAsync(20);

        // Canary of 4.0.0 aborted: retired, then rolled back, while 3.0.0 serves on.
        var before = await SchemaAsync();
        await Ok("expand", "--change", "3");
        await Ok("backfill", "--change", "3", "--skip-user-triggers");
        await Ok("deploy", "register", "4.0.0", "--slot", "canary");
        var canary = Live(4);
        await Task.WhenAll(v3.RunsAsync(20), canary.RunsAsync(20));
        await Refused("4.0.0", "rollback", "--change", "3");
        await canary.StopAsync();
        await Ok("deploy", "retire", "4.0.0");
        await Ok("rollback", "--change", "3");
        await v3.RunsAsync(20);
        Assert.That(SchemaDrift.Compare(before, await SchemaAsync()), Is.Empty, "the aborted canary's change left nothing behind");

        // Blue/green: to 4.0.0 (green), back to 3.0.0 (blue), forward again, then contract.
        await Ok("expand", "--change", "3");
        await Ok("backfill", "--change", "3", "--skip-user-triggers");
        await Ok("gate", "--to", "4.0.0");
        await Ok("deploy", "register", "4.0.0", "--slot", "green");
        var green = Live(4);
        await Task.WhenAll(v3.RunsAsync(20), green.RunsAsync(20));
        await Ok("gate", "--to", "3.0.0");
        await green.StopAsync();
        await Ok("deploy", "retire", "4.0.0");
        await v3.RunsAsync(20);
        await Ok("deploy", "register", "4.0.0", "--slot", "green");
        var again = Live(4);
        await again.RunsAsync(20);
        await v3.StopAsync();
        await Ok("deploy", "retire", "3.0.0");
        await Ok("contract", "--change", "3");
        await Refused("removes what versions before 4.0.0 use", "deploy", "register", "3.0.0");
        await again.RunsAsync(20);
        await again.StopAsync();

        foreach (var workload in _all)
        {
            Assert.That(workload.Errors, Is.Empty, $"app {workload.Version}.0.0 saw errors while live");
            Assert.That(workload.Tickets, Is.Not.Empty, $"app {workload.Version}.0.0 ran");
        }
    }
}
