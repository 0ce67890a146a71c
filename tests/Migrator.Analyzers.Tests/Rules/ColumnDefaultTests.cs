namespace Migrator.Analyzers.Tests.Rules;

public class ColumnDefaultTests
{
    [Test]
    public Task Not_null_column_without_default_is_flagged_in_fluent_and_operation_form() =>
        Verifier.AnalyzeAsync<RequiredColumnAnalyzer>("""
            using FluentMigrator;
            using Migrator.Authoring;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up() => {|MIG0009:Alter.Table("orders").AddColumn("channel").AsString(20).NotNullable()|};
                public override void Down() { }
            }
            [Change(2, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C() => {|MIG0009:AddColumn("orders", "channel", "varchar(20)", nullable: false)|};
            }
            """);

    [Test]
    public Task Nullable_defaulted_filled_or_new_table_columns_are_not_flagged() =>
        Verifier.AnalyzeAsync<RequiredColumnAnalyzer>("""
            using FluentMigrator;
            using Migrator.Authoring;
            [Migration(3)]
            public class M : Migration
            {
                public override void Up()
                {
                    Alter.Table("orders").AddColumn("note").AsString().Nullable();
                    Alter.Table("orders").AddColumn("channel").AsString(20).NotNullable().WithDefaultValue("web");
                    Create.Table("tags").WithColumn("id").AsInt64().PrimaryKey();
                    Create.Column("label").OnTable("tags").AsString().NotNullable();
                }

                public override void Down() { }
            }
            [Change(4, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C() => AddColumn("orders", "channel", "varchar(20)", nullable: false, fill: "'web'");
            }
            """);

    [Test]
    public Task Column_chain_split_over_statements_is_judged_as_a_whole() =>
        Verifier.AnalyzeAsync<RequiredColumnAnalyzer>("""
            using FluentMigrator;
            [Migration(5)]
            public class M : Migration
            {
                public override void Up()
                {
                    var column = Alter.Table("orders").AddColumn("channel").AsString(20);
                    column.NotNullable().WithDefaultValue("web");
                    var other = Alter.Table("orders").AddColumn("region").AsString(20);
                    {|MIG0009:other.NotNullable()|};
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Volatile_defaults_are_flagged_and_now_is_not() =>
        Verifier.AnalyzeAsync<VolatileDefaultAnalyzer>("""
            using FluentMigrator;
            [Migration(6)]
            public class M : Migration
            {
                public override void Up()
                {
                    {|MIG0011:Alter.Table("orders").AddColumn("public_id").AsGuid().NotNullable().WithDefault(SystemMethods.NewGuid)|};
                    {|MIG0011:Alter.Table("orders").AddColumn("token").AsString().Nullable().WithDefaultValue(RawSql.Insert("gen_random_uuid()::text"))|};
                    Alter.Table("orders").AddColumn("seen_at").AsDateTimeOffset().NotNullable().WithDefault(SystemMethods.CurrentDateTimeOffset);
                    Create.Table("events").WithColumn("id").AsGuid().PrimaryKey().WithDefault(SystemMethods.NewGuid);
                }

                public override void Down() { }
            }
            """);
}
