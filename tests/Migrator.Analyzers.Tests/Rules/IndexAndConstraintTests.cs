using Migrator.Analyzers.CodeFixes;

namespace Migrator.Analyzers.Tests.Rules;

public class IndexAndConstraintTests
{
    [Test]
    public Task Index_without_concurrently_on_an_existing_table_is_flagged() =>
        Verifier.AnalyzeAsync<BlockingIndexAnalyzer>("""
            using FluentMigrator;
            using FluentMigrator.Postgres;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up()
                {
                    {|MIG0021:Create.Index("ix_orders_placed_at").OnTable("orders").OnColumn("placed_at").Ascending()|};
                    Create.Index("ix_orders_status").OnTable("orders").OnColumn("status").Ascending().WithOptions().AsConcurrently();
                    Create.Table("tags").WithColumn("id").AsInt64().PrimaryKey().WithColumn("name").AsString();
                    Create.Index("ix_tags_name").OnTable("tags").OnColumn("name");
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Index_built_in_steps_through_a_local_is_flagged_once() =>
        Verifier.AnalyzeAsync<BlockingIndexAnalyzer>("""
            using Migrator.Authoring;
            [Change(2, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    var index = Create.Index("ix_orders_customer").OnTable("orders");
                    {|MIG0021:index.OnColumn("customer_id").Ascending()|};
                }
            }
            """);

    [Test]
    public Task Code_fix_adds_concurrently_and_makes_a_plain_migration_non_transactional() =>
        Verifier.FixAsync<BlockingIndexAnalyzer, ConcurrentIndexCodeFix>(
            """
            using FluentMigrator;

            [Migration(3)]
            public class M : Migration
            {
                public override void Up() => {|MIG0021:Create.Index("ix_orders_placed_at").OnTable("orders").OnColumn("placed_at").Ascending()|};
                public override void Down() { }
            }
            """,
            """
            using FluentMigrator;
            using FluentMigrator.Postgres;

            [Migration(3, TransactionBehavior.None)]
            public class M : Migration
            {
                public override void Up() => Create.Index("ix_orders_placed_at").OnTable("orders").OnColumn("placed_at").Ascending().WithOptions().AsConcurrently();
                public override void Down() { }
            }
            """);

    [Test]
    public Task Foreign_keys_and_unique_constraints_on_existing_tables_are_flagged() =>
        Verifier.AnalyzeAsync<ConstraintWithoutNotValidAnalyzer>("""
            using FluentMigrator;
            [Migration(4)]
            public class M : Migration
            {
                public override void Up()
                {
                    {|MIG0015:Create.ForeignKey("fk_orders_customer").FromTable("orders").ForeignColumn("customer_id").ToTable("customers").PrimaryColumn("id")|};
                    {|MIG0015:Alter.Table("orders").AddColumn("coupon_id").AsInt64().Nullable().ForeignKey("coupons", "id")|};
                    {|MIG0018:Create.UniqueConstraint("uq_customers_email").OnTable("customers").Column("email")|};
                    Create.Table("coupons").WithColumn("id").AsInt64().PrimaryKey();
                    Create.ForeignKey("fk_coupons_x").FromTable("coupons").ForeignColumn("id").ToTable("orders").PrimaryColumn("id");
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Index_builds_behind_IfDatabase_and_in_helper_methods_are_flagged() =>
        Verifier.AnalyzeAsync<BlockingIndexAnalyzer>("""
            using FluentMigrator;
            using Migrator.Authoring;

            [Migration(20)]
            public class M : Migration
            {
                public override void Up()
                {
                    {|MIG0021:IfDatabase("postgres").Create.Index("ix_a").OnTable("orders").OnColumn("a")|};
                    AddIndexes();
                }

                private void AddIndexes() => {|MIG0021:Create.Index("ix_b").OnTable("orders").OnColumn("b")|};

                private void NeverCalled() => Create.Index("ix_c").OnTable("orders").OnColumn("c");

                public override void Down() => DropIndexes();

                private void DropIndexes() => Create.Index("ix_d").OnTable("orders").OnColumn("d");
            }

            [Change(21, "Index from a helper called by the constructor", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C() => this.Index();

                private void Index() => {|MIG0021:Create.Index("ix_e").OnTable("customers").OnColumn("e")|};
            }
            """);
}
