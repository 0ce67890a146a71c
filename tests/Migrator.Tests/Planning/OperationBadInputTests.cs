using Migrator.Authoring;
using Migrator.Dialects.Postgres;
using Migrator.Planning;
using Migrator.Schema;

namespace Migrator.Tests.Planning;

/// <summary>An operation that cannot be carried out safely is refused at plan time with exit 2 and a
/// message naming the change and what to do, never a stack trace.</summary>
public sealed class OperationBadInputTests
{
    [Change(1, "t", AppVersion = "1.0.0")]
    public sealed class Base : Change
    {
        public Base() => CreateTable("t", t => t
            .WithColumn("id").AsInt64().PrimaryKey()
            .WithColumn("a").AsCustom("text").NotNullable()
            .WithColumn("b").AsCustom("text").Nullable());
    }

    [Change(2, "not null, no default, no fill", AppVersion = "2.0.0")]
    public sealed class NotNullWithoutFill : Change
    {
        public NotNullWithoutFill() => AddColumn("t", "c", "text", nullable: false);
    }

    [Change(2, "drop a NOT NULL column with no down", AppVersion = "2.0.0")]
    public sealed class DropWithoutDown : Change
    {
        public DropWithoutDown() => DropColumn("t", "a");
    }

    [Change(2, "retype the primary key", AppVersion = "2.0.0")]
    public sealed class RetypeKey : Change
    {
        public RetypeKey() => ChangeColumnType("t", "id", "numeric");
    }

    [Change(2, "rename onto an existing column", AppVersion = "2.0.0")]
    public sealed class RenameOntoExisting : Change
    {
        public RenameOntoExisting() => RenameColumn("t", "a", "b");
    }

    [Change(2, "unknown column", AppVersion = "2.0.0")]
    public sealed class UnknownColumn : Change
    {
        public UnknownColumn() => SetNotNull("t", "nope", fill: "''");
    }

    [Change(2, "script in the backfill phase", AppVersion = "2.0.0")]
    public sealed class ScriptInBackfill : Change
    {
        public ScriptInBackfill() => Sql(Phase.Backfill, "UPDATE t SET b = a");
    }

    [TestCase(typeof(NotNullWithoutFill), "needs a fill expression")]
    [TestCase(typeof(DropWithoutDown), "give a down expression")]
    [TestCase(typeof(RetypeKey), "primary key")]
    [TestCase(typeof(RenameOntoExisting), "already has a column b")]
    [TestCase(typeof(UnknownColumn), "column public.t.nope does not exist")]
    [TestCase(typeof(ScriptInBackfill), "raw SQL runs in expand or contract")]
    public void Refused_at_plan_time_with_exit_2(Type change, string reason)
    {
        var e = Assert.Throws<MigratorException>(() =>
            new PhaseCompiler(new PostgresDialect()).Compile(ChangeCatalog.FromTypes([typeof(Base), change], "test"), new SchemaModel()));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.StartWith($"change 2 ({change.Name}): ").And.Contain(reason));
    }
}
