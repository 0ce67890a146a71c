namespace Migrator.Analyzers.Tests.Rules;

public class RawSqlAndBackfillTests
{
    [Test]
    public Task Execute_sql_with_destructive_or_locking_statements_is_flagged() =>
        Verifier.AnalyzeAsync<ExecuteSqlAnalyzer>("""
            using FluentMigrator;
            [Migration(1)]
            public class M : Migration
            {
                private const string Drop = "ALTER TABLE customers DROP COLUMN email";

                public override void Up()
                {
                    {|MIG0036:Execute.Sql(Drop)|};
                    {|MIG0036:Execute.Sql("CREATE INDEX ix_orders_placed_at ON orders (placed_at)")|};
                    {|MIG0036:Execute.Sql("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id)")|};
                    Execute.Sql("CREATE INDEX CONCURRENTLY ix_orders_status ON orders (status)");
                    Execute.Sql("ALTER TABLE orders ADD CONSTRAINT fk2 FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID");
                    Execute.Sql("ALTER TABLE orders ADD COLUMN note text");
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Raw_sql_declared_for_contract_may_drop_and_expand_sql_may_not() =>
        Verifier.AnalyzeAsync<ExecuteSqlAnalyzer>("""
            using Migrator.Authoring;
            [Change(2, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C()
                {
                    Sql(Phase.Contract, "ALTER TABLE customers DROP COLUMN email");
                    {|MIG0036:Sql(Phase.Expand, "ALTER TABLE customers " + "RENAME COLUMN email TO email_address")|};
                }

                protected override void Contract() => Execute.Sql("ALTER TABLE customers DROP COLUMN legacy");
            }
            """);

    [Test]
    public Task Data_updates_beside_schema_changes_are_flagged() =>
        Verifier.AnalyzeAsync<BackfillWithDdlAnalyzer>("""
            using FluentMigrator;
            [Migration(3)]
            public class M : Migration
            {
                public override void Up()
                {
                    Alter.Table("orders").AddColumn("channel").AsString(20).Nullable();
                    {|MIG0029:Update.Table("orders").Set(new { channel = "web" }).AllRows()|};
                    {|MIG0029:Execute.Sql("UPDATE orders SET channel = 'web' WHERE channel IS NULL")|};
                }

                public override void Down() { }
            }
            """);

    [Test]
    public Task Data_only_migrations_are_not_flagged() =>
        Verifier.AnalyzeAsync<BackfillWithDdlAnalyzer>("""
            using FluentMigrator;
            [Migration(4)]
            public class M : Migration
            {
                public override void Up()
                {
                    Update.Table("orders").Set(new { channel = "web" }).AllRows();
                    Execute.Sql("DELETE FROM sessions WHERE expires_at < now()");
                }

                public override void Down() { }
            }
            """);
}
