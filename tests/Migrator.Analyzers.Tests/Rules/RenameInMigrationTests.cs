using Migrator.Analyzers.CodeFixes;

namespace Migrator.Analyzers.Tests.Rules;

public class RenameInMigrationTests
{
    [Test]
    public Task Rename_column_in_a_plain_migration_is_flagged() =>
        Verifier.AnalyzeAsync<RenameInMigrationAnalyzer>("""
            using FluentMigrator;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up() => {|MIG0004:Rename.Column("email").OnTable("customers").To("email_address")|};
                public override void Down() { }
            }
            """);

    [Test]
    public Task Rename_table_split_over_statements_in_an_expand_phase_is_flagged() =>
        Verifier.AnalyzeAsync<RenameInMigrationAnalyzer>("""
            using Migrator.Authoring;
            [Change(2, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    var root = Rename;
                    var step = root.Table("customers");
                    {|MIG0005:step.To("clients")|};
                }
            }
            """);

    [Test]
    public Task Renames_in_contract_or_down_and_the_RenameColumn_operation_are_not_flagged() =>
        Verifier.AnalyzeAsync<RenameInMigrationAnalyzer>("""
            using FluentMigrator;
            using Migrator.Authoring;
            [Change(3, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C() => RenameColumn("customers", "email", "email_address");
                protected override void Contract() => Rename.Column("tmp").OnTable("t").To("final");
            }
            [Migration(4)]
            public class M : Migration
            {
                public override void Up() { }
                public override void Down() => Rename.Column("email_address").OnTable("customers").To("email");
            }
            """);

    [Test]
    public Task Code_fix_turns_the_rename_into_the_RenameColumn_operation() =>
        Verifier.FixAsync<RenameInMigrationAnalyzer, RenameColumnCodeFix>(
            """
            using Migrator.Authoring;
            [Change(5, "Rename customers.email", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    {|MIG0004:Rename.Column("email").OnTable("customers").To("email_address")|};
                }
            }
            """,
            """
            using Migrator.Authoring;
            [Change(5, "Rename customers.email", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C()
                {
                    RenameColumn("customers", "email", "email_address");
                }
            }
            """);

    [Test]
    public Task Code_fix_keeps_the_rest_of_expand_and_extends_an_existing_constructor() =>
        Verifier.FixAsync<RenameInMigrationAnalyzer, RenameColumnCodeFix>(
            """
            using Migrator.Authoring;
            [Change(6, "Two things", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C() => AddColumn("customers", "nickname", "text");

                protected override void Expand()
                {
                    Create.Index("ix_customers_name").OnTable("customers").OnColumn("name");
                    {|MIG0004:Rename.Column("email").OnTable("customers").To("email_address")|};
                }
            }
            """,
            """
            using Migrator.Authoring;
            [Change(6, "Two things", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C()
                {
                    AddColumn("customers", "nickname", "text");
                    RenameColumn("customers", "email", "email_address");
                }

                protected override void Expand()
                {
                    Create.Index("ix_customers_name").OnTable("customers").OnColumn("name");
                }
            }
            """);
}
