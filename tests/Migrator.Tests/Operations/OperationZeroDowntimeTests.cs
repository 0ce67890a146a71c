namespace Migrator.Tests.Operations;

/// <summary>
/// Every catalog operation with two app versions live: app 1 writes and reads throughout expand,
/// app 2 joins after the expand, both run through the backfill and the switch, app 1 is retired, the
/// contract runs while app 2 keeps going. No errors, every row reads back as expected through both
/// versions while both are live, and after the contract every row ever written holds its last value.
/// The rollback variant stops app 2 after a partial backfill (a canary abandoned) and rolls back while
/// app 1 keeps going: the schema is then exactly as before the expand.
/// </summary>
[TestFixtureSource(typeof(OperationScenarios), nameof(OperationScenarios.All))]
public sealed class OperationZeroDowntimeTests(OperationScenario scenario)
{
    private const int Step = 25;

    [Test]
    public async Task Expand_backfill_switch_contract_with_both_versions_live()
    {
        await using var harness = await OperationHarness.StartAsync(scenario);
        var v1 = new AppWorkload(1, scenario, harness.DataSource);
        var v2 = new AppWorkload(2, scenario, harness.DataSource);
        v1.Other = v2;
        v2.Other = v1;
        v1.Start();
        await v1.WaitForWritesAsync(Step);

        await harness.ExpandAsync();
        await v1.WaitForWritesAsync(Step);
        v2.Start();
        await v2.WaitForWritesAsync(Step);

        long backfilled = await harness.BackfillAsync();
        await v1.WaitForWritesAsync(Step);
        await v2.WaitForWritesAsync(Step);

        await v1.StopAsync();
        await harness.ContractAsync();
        await v2.WaitForWritesAsync(Step);
        await v2.StopAsync();

        TestContext.Out.WriteLine($"{scenario.Name}: {v1}; {v2}; backfilled {backfilled} rows");
        Assert.Multiple(() =>
        {
            Assert.That(v1.Errors, Is.Empty, "errors in app 1");
            Assert.That(v2.Errors, Is.Empty, "errors in app 2");
            Assert.That(v1.Divergences, Is.Empty, "rows app 1 wrote that read back wrong");
            Assert.That(v2.Divergences, Is.Empty, "rows app 2 wrote that read back wrong");
        });

        // Nothing lost: every row either version wrote reads, through app 2, as its last write.
        foreach (var (writer, rows) in new[] { (v1, v1.Written), (v2, v2.Written) })
        {
            foreach (var write in rows.Values)
            {
                writer.Check(v2, write, await v2.ReadAsync(write));
            }
        }

        Assert.That(v1.Divergences.Concat(v2.Divergences), Is.Empty, "rows that read back wrong after the contract");
        Assert.That(await harness.ProblemsAsync(scenario.FinalProblems), Is.Zero, "final schema or seeded rows: " + scenario.FinalProblems);
        Assert.That(await harness.ProblemsAsync(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'migrator_%' UNION ALL SELECT count(*) FROM pg_proc WHERE pronamespace = 'migrator'::regnamespace AND prorettype = 'trigger'::regtype UNION ALL SELECT count(*) FROM pg_index WHERE NOT indisvalid"),
            Is.Zero, "triggers, functions or invalid indexes left after the contract");
    }

    [Test]
    public async Task Rollback_after_a_partial_backfill_restores_the_schema_while_app_1_keeps_going()
    {
        await using var harness = await OperationHarness.StartAsync(scenario);
        var before = await harness.SnapshotAsync();
        var v1 = new AppWorkload(1, scenario, harness.DataSource);
        var v2 = new AppWorkload(2, scenario, harness.DataSource);
        v1.Other = v2;
        v2.Other = v1;
        v1.Start();
        await v1.WaitForWritesAsync(Step);

        await harness.ExpandAsync();
        v2.Start();
        await v2.WaitForWritesAsync(Step);
        await harness.BackfillAsync(batchSize: 200, stopAfterBatches: 2);
        await v2.StopAsync();

        await harness.RollbackAsync();
        await v1.WaitForWritesAsync(Step);
        await v1.StopAsync();

        TestContext.Out.WriteLine($"{scenario.Name} rollback: {v1}; {v2}");
        var after = await harness.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(v1.Errors, Is.Empty, "errors in app 1");
            Assert.That(v2.Errors, Is.Empty, "errors in app 2 while it was live");
            Assert.That(v1.Divergences.Concat(v2.Divergences), Is.Empty, "rows that read back wrong");
            Assert.That(after, Is.EqualTo(before), "schema after rollback differs from before the expand");
        });

        // What app 2 wrote while it was live still reads, through app 1, as app 1 sees it.
        foreach (var write in v2.Written.Values)
        {
            v2.Check(v1, write, await v1.ReadAsync(write));
        }

        Assert.That(v2.Divergences, Is.Empty, "rows app 2 wrote, read through app 1 after the rollback");
    }
}
