using Migrator.Analyzers.CodeFixes;

namespace Migrator.Analyzers.Tests.Rules;

public class DestructiveInMigrationTests
{
    [Test]
    public Task Delete_column_in_a_plain_migration_is_flagged() =>
        Verifier.AnalyzeAsync<DestructiveInMigrationAnalyzer>("""
            using FluentMigrator;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up()
                {
                    {|MIG0041:Delete.Column("email").FromTable("customers")|};
                    {|MIG0041:Delete.Table("audit_log")|};
                    {|MIG0007:Alter.Column("total").OnTable("orders").AsInt64()|};
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Deletes_in_contract_or_down_and_row_deletes_are_not_flagged() =>
        Verifier.AnalyzeAsync<DestructiveInMigrationAnalyzer>("""
            using FluentMigrator;
            using Migrator.Authoring;
            [Change(2, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand() => Alter.Table("orders").AddColumn("note").AsString().Nullable();
                protected override void Contract() => Delete.Column("legacy").FromTable("orders");
            }
            [Migration(3)]
            public class M : Migration
            {
                public override void Up() => Delete.FromTable("sessions").AllRows();
                public override void Down() => Delete.Column("note").FromTable("orders");
            }
            """);

    [Test]
    public Task Delete_split_over_statements_with_a_table_name_from_another_file_is_flagged() =>
        Verifier.AnalyzeWithOtherFileAsync<DestructiveInMigrationAnalyzer>(
            """
            using Migrator.Authoring;
            [Change(4, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    var delete = Delete.Column(Names.Column);
                    {|MIG0041:delete.FromTable(Names.Table)|};
                }
            }
            """,
            """
            public static class Names
            {
                public const string Table = "customers";
                public const string Column = "email";
            }
            """);

    [Test]
    public Task Code_fix_moves_the_delete_to_contract() =>
        Verifier.FixAsync<DestructiveInMigrationAnalyzer, MoveToContractCodeFix>(
            """
            using Migrator.Authoring;
            [Change(5, "Drop customers.legacy", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    Alter.Table("customers").AddColumn("note").AsString().Nullable();
                    {|MIG0041:Delete.Column("legacy").FromTable("customers")|};
                }
            }
            """,
            """
            using Migrator.Authoring;
            [Change(5, "Drop customers.legacy", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    Alter.Table("customers").AddColumn("note").AsString().Nullable();
                }

                protected override void Contract()
                {
                    Delete.Column("legacy").FromTable("customers");
                }
            }
            """);
}
