using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;

namespace Migrator.Tests.Planning;

/// <summary>Conflict detection at plan time, with no database.</summary>
public sealed class ConflictTests
{
    [Change(1, "people", AppVersion = "1.0.0")]
    public sealed class People : Change
    {
        public People() => CreateTable("people", t => t
            .WithColumn("id").AsInt64().PrimaryKey()
            .WithColumn("mail").AsCustom("text").NotNullable()
            .WithColumn("city").AsCustom("text").Nullable());
    }

    [Change(2, "rename mail", AppVersion = "2.0.0")]
    public sealed class RenameMail : Change
    {
        public RenameMail() => RenameColumn("people", "mail", "email");
    }

    [Change(3, "retype the renamed column, same version", AppVersion = "2.0.0")]
    public sealed class RetypeEmailSameVersion : Change
    {
        public RetypeEmailSameVersion() => ChangeColumnType("people", "email", "varchar(300)");
    }

    [Change(3, "retype the renamed column, next version", AppVersion = "3.0.0")]
    public sealed class RetypeEmailNextVersion : Change
    {
        public RetypeEmailNextVersion() => ChangeColumnType("people", "email", "varchar(300)");
    }

    [Change(4, "add a column, same version as the rename", AppVersion = "2.0.0")]
    public sealed class AddCountry : Change
    {
        public AddCountry() => AddColumn("people", "country", "text");
    }

    private static IReadOnlyList<ChangePlan> Compile(params Type[] types) =>
        new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes(types, "test"), new SchemaModel());

    [Test]
    public void Two_changes_of_one_version_that_alter_the_same_column_are_refused_naming_both()
    {
        var e = Assert.Throws<MigratorException>(() => Compile(typeof(People), typeof(RenameMail), typeof(RetypeEmailSameVersion)));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain("change 3").And.Contain("conflicts with change 2").And.Contain("public.people.email"));
    }

    [Test]
    public void A_later_version_waits_for_the_earlier_change_and_independent_columns_do_not()
    {
        var plans = Compile(typeof(People), typeof(RenameMail), typeof(RetypeEmailNextVersion), typeof(AddCountry)).ToDictionary(p => p.Id);
        Assert.Multiple(() =>
        {
            Assert.That(plans[3].WaitsFor.Select(w => w.Id), Is.EquivalentTo(new long[] { 1, 2 }));
            Assert.That(plans[4].WaitsFor.Select(w => w.Id), Is.EquivalentTo(new long[] { 1 }), "a new column of the same table does not wait for the rename");

            // The table's creation has nothing to contract: it is settled as soon as it is expanded.
            Assert.That(plans[1].Contract, Is.Empty);
            Assert.That(ChangeState.Backfilled.IsSettled(plans[1]), Is.True);
            Assert.That(ChangeState.Backfilled.IsSettled(plans[2]), Is.False, "the rename is in flight until contracted");
        });
    }
}
