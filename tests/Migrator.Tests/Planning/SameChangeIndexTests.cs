using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Planning;

/// <summary>Regression: an index on a column added by the same change was refused at plan time
/// ("column … does not exist"), because every operation saw the schema before the change.</summary>
public sealed class SameChangeIndexTests : DatabaseTest
{
    [Test]
    public async Task A_column_added_and_indexed_in_one_change_plans_and_runs()
    {
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([typeof(Gadgets), typeof(ColorIndexed)], "same change"), new SchemaModel());
        Assert.That(plans[1].Sql(Phase.Expand), Does.Contain("ADD \"color\"").And.Contain("CREATE INDEX CONCURRENTLY \"ix_gadgets_color\""));

        await using var connection = await DataSource.OpenConnectionAsync();
        var ledger = new LedgerStore(connection, "migrator");
        await ledger.EnsureAsync();
        await ledger.RecordChangesAsync(plans);
        var executor = new PhaseExecutor(ledger, ExecutionOptions.Default);
        await executor.RunAsync(plans[0], Phase.Expand);
        await executor.RunAsync(plans[1], Phase.Expand);
        Assert.That(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_gadgets_color'::regclass"), Is.True);
    }

    [Test]
    public void An_index_on_a_column_no_operation_adds_is_still_refused()
    {
        var error = Assert.Throws<MigratorException>(() => new PhaseCompiler(new PostgresDialect()).Compile(
            ChangeCatalog.FromTypes([typeof(Gadgets), typeof(MissingIndexed)], "same change"), new SchemaModel()));
        Assert.That(error!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error.Message, Does.Contain("shade"));
    }

    [Change(1, "gadgets", AppVersion = "1.0.0")]
    public sealed class Gadgets : Change
    {
        protected override void Expand() => Create.Table("gadgets").WithColumn("id").AsInt64().PrimaryKey();
    }

    [Change(2, "color, indexed", AppVersion = "2.0.0")]
    public sealed class ColorIndexed : Change
    {
        public ColorIndexed()
        {
            AddColumn("gadgets", "color", "text");
            CreateIndex("gadgets", "ix_gadgets_color", ["color"]);
        }
    }

    [Change(2, "an index on a column nobody adds", AppVersion = "2.0.0")]
    public sealed class MissingIndexed : Change
    {
        public MissingIndexed() => CreateIndex("gadgets", "ix_gadgets_shade", ["shade"]);
    }
}
