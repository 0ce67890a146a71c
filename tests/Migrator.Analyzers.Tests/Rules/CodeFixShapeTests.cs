using Migrator.Analyzers.CodeFixes;

namespace Migrator.Analyzers.Tests.Rules;

/// <summary>
/// The code fixes on the shapes teams write, each applied one diagnostic at a time (as an IDE does) and with
/// Fix All (as `dotnet format --diagnostics` does): Microsoft.CodeAnalysis.Testing runs both and requires the
/// fixed code to compile with no error.
/// </summary>
public sealed class CodeFixShapeTests
{
    [Test]
    public Task Mig0021_fix_sets_TransactionBehavior_None_with_a_description_argument() =>
        Verifier.FixAsync<BlockingIndexAnalyzer, ConcurrentIndexCodeFix>(
            """
            using FluentMigrator;

            [Migration(202612030001, "Index orders by customer")]
            public class M : Migration
            {
                public override void Up()
                {
                    {|MIG0021:Create.Index("ix_orders_customer").OnTable("orders").OnColumn("customer_id")|};
                }

                public override void Down() { }
            }
            """,
            """
            using FluentMigrator;
            using FluentMigrator.Postgres;

            [Migration(202612030001, TransactionBehavior.None, "Index orders by customer")]
            public class M : Migration
            {
                public override void Up()
                {
                    Create.Index("ix_orders_customer").OnTable("orders").OnColumn("customer_id").Ascending().WithOptions().AsConcurrently();
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Mig0021_fix_replaces_an_explicit_TransactionBehavior_and_follows_a_chain_over_a_local() =>
        Verifier.FixAsync<BlockingIndexAnalyzer, ConcurrentIndexCodeFix>(
            """
            using FluentMigrator;

            [Migration(version: 7, transactionBehavior: TransactionBehavior.Default, description: "Index")]
            public class M : Migration
            {
                public override void Up()
                {
                    var index = Create.Index("ix_orders_placed").OnTable("orders");
                    {|MIG0021:index.OnColumn("placed_at").Descending()|};
                }

                public override void Down() { }
            }
            """,
            """
            using FluentMigrator;
            using FluentMigrator.Postgres;

            [Migration(version: 7, transactionBehavior: TransactionBehavior.None, description: "Index")]
            public class M : Migration
            {
                public override void Up()
                {
                    var index = Create.Index("ix_orders_placed").OnTable("orders");
                    index.OnColumn("placed_at").Descending().WithOptions().AsConcurrently();
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Mig0021_fix_in_a_change_adds_only_AsConcurrently_and_fix_all_covers_every_class() =>
        Verifier.FixAsync<BlockingIndexAnalyzer, ConcurrentIndexCodeFix>(
            """
            using Migrator.Authoring;

            [Change(8, "Index orders", AppVersion = "2.0.0")]
            public class C8 : Change
            {
                protected override void Expand() => {|MIG0021:Create.Index("ix_a").OnTable("orders").OnColumn("a")|};
            }

            [Change(9, "Index customers", AppVersion = "2.0.0")]
            public class C9 : Change
            {
                protected override void Expand() => {|MIG0021:Create.Index("ix_b").OnTable("customers").OnColumn("b").Ascending()|};
            }
            """,
            """
            using Migrator.Authoring;
            using FluentMigrator.Postgres;

            [Change(8, "Index orders", AppVersion = "2.0.0")]
            public class C8 : Change
            {
                protected override void Expand() => Create.Index("ix_a").OnTable("orders").OnColumn("a").Ascending().WithOptions().AsConcurrently();
            }

            [Change(9, "Index customers", AppVersion = "2.0.0")]
            public class C9 : Change
            {
                protected override void Expand() => Create.Index("ix_b").OnTable("customers").OnColumn("b").Ascending().WithOptions().AsConcurrently();
            }
            """);

    [Test]
    public Task Mig0021_offers_no_fix_when_the_migration_holds_other_statements() =>
        Verifier.FixAsync<BlockingIndexAnalyzer, ConcurrentIndexCodeFix>(
            """
            using FluentMigrator;

            [Migration(10, "Column and index")]
            public class M : Migration
            {
                public override void Up()
                {
                    Alter.Table("orders").AddColumn("note").AsString().Nullable();
                    {|MIG0021:Create.Index("ix_orders_note").OnTable("orders").OnColumn("note")|};
                }

                public override void Down() { }
            }
            """,
            """
            using FluentMigrator;

            [Migration(10, "Column and index")]
            public class M : Migration
            {
                public override void Up()
                {
                    Alter.Table("orders").AddColumn("note").AsString().Nullable();
                    {|MIG0021:Create.Index("ix_orders_note").OnTable("orders").OnColumn("note")|};
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Mig0041_fix_moves_a_chain_split_over_a_local_whole() =>
        Verifier.FixAsync<DestructiveInMigrationAnalyzer, MoveToContractCodeFix>(
            """
            using Migrator.Authoring;
            [Change(11, "Drop orders.kind", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    Alter.Table("orders").AddColumn("category").AsString().Nullable();
                    var d = Delete.Column("kind");
                    {|MIG0041:d.FromTable("orders")|};
                }
            }
            """,
            """
            using Migrator.Authoring;
            [Change(11, "Drop orders.kind", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    Alter.Table("orders").AddColumn("category").AsString().Nullable();
                }

                protected override void Contract()
                {
                    var d = Delete.Column("kind");
                    d.FromTable("orders");
                }
            }
            """);

    [Test]
    public Task Mig0041_fix_all_moves_every_drop_into_an_existing_expression_bodied_contract() =>
        Verifier.FixAsync<DestructiveInMigrationAnalyzer, MoveToContractCodeFix>(
            """
            using Migrator.Authoring;
            [Change(12, "Drop two columns", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    {|MIG0041:Delete.Column("a").FromTable("orders")|};
                    Alter.Table("orders").AddColumn("c").AsString().Nullable();
                    {|MIG0041:Delete.Column("b").FromTable("orders")|};
                }

                protected override void Contract() => Delete.Column("z").FromTable("orders");
            }
            """,
            """
            using Migrator.Authoring;
            [Change(12, "Drop two columns", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    Alter.Table("orders").AddColumn("c").AsString().Nullable();
                }

                protected override void Contract()
                {
                    Delete.Column("z").FromTable("orders");
                    Delete.Column("a").FromTable("orders");
                    Delete.Column("b").FromTable("orders");
                }
            }
            """);

    [Test]
    public Task Mig0041_fix_moves_an_expression_bodied_expand() =>
        Verifier.FixAsync<DestructiveInMigrationAnalyzer, MoveToContractCodeFix>(
            """
            using Migrator.Authoring;
            [Change(13, "Drop the archive", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand() => {|MIG0041:Delete.Table("orders_archive")|};
            }
            """,
            """
            using Migrator.Authoring;
            [Change(13, "Drop the archive", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Contract()
                {
                    Delete.Table("orders_archive");
                }
            }
            """);
}
