using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Safety;

/// <summary>
/// A contract that failed has a way out. Regression: after a contract failed on a dependent object or
/// at a validation, `backfill --change` said "nothing to backfill", `rollback` refused, and an edited
/// change was ignored. Now: the backfill may run again while no destructive step has run, the contract
/// resumes once the cause is fixed, and `contract --replan` runs the edited steps that have not run.
/// </summary>
public sealed class FailedContractRecoveryTests : DatabaseTest
{
    private const string Rename = "202611230002";

    [Test]
    public async Task A_dependent_policy_is_named_by_plan_and_refuses_the_contract_up_front_and_a_failed_contract_allows_the_backfill_again_and_resumes()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 400);
        Assert.That((await Cli("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await Cli("backfill")).ExitCode, Is.EqualTo(0));
        // A row-level security policy depends on the column (views are moved by the contract itself:
        // BoxOfficeAdoptionTests).
        await ExecuteAsync("CREATE POLICY customer_mail ON customers USING (email IS NOT NULL)");

        // plan names the policy (MIG0112); contract refuses before running any statement.
        var plan = await Cli("plan");
        Assert.That(plan.ExitCode, Is.EqualTo(1), plan.ToString());
        Assert.That(plan.Output, Does.Contain("MIG0112").And.Contain("policy customer_mail on public.customers"));
        var refused = await Cli("contract", "--change", Rename);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("public.customers.email").And.Contain("policy customer_mail on public.customers"));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM migrator.phases WHERE change_id = {Rename} AND phase = 'contract'"), Is.EqualTo(0), "nothing of the contract ran");

        // The policy is moved to the new column by its owner. The contract then fails on something no
        // check can foresee (a transaction holding the table past every retry) and stays 'failed'.
        await ExecuteAsync("ALTER POLICY customer_mail ON customers USING (email_address IS NOT NULL)");
        string config = Path.Combine(Path.GetTempPath(), $"recovery-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(config, "{ \"lockRetries\": 1, \"lockTimeoutMs\": 100 }");
        try
        {
            await using (var holder = await OpenUnpooledAsync())
            {
                await using var tx = await holder.BeginTransactionAsync();
                await using (var hold = new Npgsql.NpgsqlCommand("LOCK TABLE customers IN ACCESS SHARE MODE", holder, tx))
                {
                    await hold.ExecuteNonQueryAsync();
                }

                var failed = await CliRunner.RunAsync("contract", "--change", Rename, "--config", config, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString);
                Assert.That(failed.ExitCode, Is.EqualTo(4), failed.ToString());
                Assert.That(failed.Error, Does.Contain("55P03"));
            }
        }
        finally
        {
            File.Delete(config);
        }

        Assert.That(await ScalarAsync<string>($"SELECT status FROM migrator.phases WHERE change_id = {Rename} AND phase = 'contract'"), Is.EqualTo("failed"));

        // No destructive step ran: the backfill may run again (it said "nothing to backfill" before).
        var backfill = await Cli("backfill", "--change", Rename);
        Assert.That(backfill.ExitCode, Is.EqualTo(0), backfill.ToString());
        Assert.That(backfill.Output, Does.Contain("backfill " + Rename));

        // The contract resumes at the step that failed.
        var resumed = await Cli("contract", "--change", Rename);
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.ToString());
        Assert.That(await ScalarAsync<string>("SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polname = 'customer_mail'"), Is.EqualTo("(email_address IS NOT NULL)"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.EqualTo(0));

        // Once contracted, asking for its backfill again is a no-op, as every phase is safe to re-run.
        var again = await Cli("backfill", "--change", Rename);
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
    }

    [Test]
    public async Task Replan_runs_the_edited_steps_that_have_not_run_and_refuses_an_edit_of_a_step_that_ran()
    {
        await ExecuteAsync("DROP TABLE IF EXISTS gauges; CREATE TABLE gauges (id int PRIMARY KEY, a int NOT NULL); INSERT INTO gauges SELECT g, g FROM generate_series(1, 100) g;");
        var original = Compile(typeof(Gauges), typeof(Original));
        var edited = Compile(typeof(Gauges), typeof(Edited));
        var touchesRanStep = Compile(typeof(Gauges), typeof(EditedFirstStep));
        await using var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync([original]);
        var options = new ExecutionOptions(TimeSpan.FromSeconds(2), 3);
        await new PhaseExecutor(ledger, options).RunAsync(original, Phase.Expand);

        // Step 1 (a concurrent index build) runs; step 2's CHECK is refused by every row.
        var failure = await Assert.ThrowsAsync<MigratorException>(() => new PhaseExecutor(ledger, options).RunAsync(original, Phase.Contract));
        Assert.That(failure!.Message, Does.Contain("step 2/2").And.Contain("23514"));

        // Without --replan the stored (failing) step runs again, and says so.
        var log = new List<string>();
        Assert.That(async () => await new PhaseExecutor(ledger, options, log.Add).RunAsync(edited, Phase.Contract), Throws.TypeOf<MigratorException>());
        Assert.That(log, Has.Some.Contains("--replan"));

        // An edit of the step that already ran is refused, and nothing changes.
        var refused = await Assert.ThrowsAsync<MigratorException>(() => new PhaseExecutor(ledger, options) { Replan = true }.RunAsync(touchesRanStep, Phase.Contract));
        Assert.That(refused!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(refused.Message, Does.Contain("step 1, which already ran"));

        var replan = new PhaseExecutor(ledger, options) { Replan = true };
        Assert.That(await replan.RunAsync(edited, Phase.Contract), Is.True);
        Assert.That(replan.Replanned, Does.Contain("from step 2"));
        Assert.That(await ScalarAsync<string>("SELECT status FROM migrator.phases WHERE change_id = 2 AND phase = 'contract'"), Is.EqualTo("done"));
        Assert.That(await ScalarAsync<string>("SELECT checksum FROM migrator.phases WHERE change_id = 2 AND phase = 'contract'"), Is.EqualTo(edited.Checksum(Phase.Contract)));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'ck_gauges_positive'"), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_gauges_a'"), Is.EqualTo(1));
    }

    private static ChangePlan Compile(Type base_, Type change) =>
        new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([base_, change], "recovery"), new SchemaModel())[1];

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);

    [Change(1, "gauges", AppVersion = "1.0.0")]
    public sealed class Gauges : Change
    {
        protected override void Expand() => Create.Table("gauges").WithColumn("id").AsInt32().PrimaryKey().WithColumn("a").AsInt32().NotNullable();
    }

    [Change(2, "index and check gauges", AppVersion = "2.0.0")]
    public sealed class Original : Change
    {
        public Original()
        {
            Sql(Phase.Contract, "CREATE INDEX CONCURRENTLY ix_gauges_a ON gauges (a)");
            Sql(Phase.Contract, "ALTER TABLE gauges ADD CONSTRAINT ck_gauges_negative CHECK (a < 0)");
        }
    }

    [Change(2, "index and check gauges", AppVersion = "2.0.0")]
    public sealed class Edited : Change
    {
        public Edited()
        {
            Sql(Phase.Contract, "CREATE INDEX CONCURRENTLY ix_gauges_a ON gauges (a)");
            Sql(Phase.Contract, "ALTER TABLE gauges ADD CONSTRAINT ck_gauges_positive CHECK (a > 0)");
        }
    }

    [Change(2, "index and check gauges", AppVersion = "2.0.0")]
    public sealed class EditedFirstStep : Change
    {
        public EditedFirstStep()
        {
            Sql(Phase.Contract, "CREATE INDEX CONCURRENTLY ix_gauges_a_b ON gauges (a, id)");
            Sql(Phase.Contract, "ALTER TABLE gauges ADD CONSTRAINT ck_gauges_positive CHECK (a > 0)");
        }
    }
}
