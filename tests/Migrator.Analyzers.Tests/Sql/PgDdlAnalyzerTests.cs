using Migrator.Analyzers.Sql;

namespace Migrator.Analyzers.Tests.Sql;

public class PgDdlAnalyzerTests
{
    [TestCase("ALTER TABLE public.customers DROP COLUMN email", "DropColumn public.customers.email")]
    [TestCase("ALTER TABLE customers DROP email CASCADE", "DropColumn customers.email")]
    [TestCase("ALTER TABLE \"public\".\"customers\" RENAME COLUMN \"email\" TO \"email_address\"", "RenameColumn public.customers.email")]
    [TestCase("ALTER TABLE orders RENAME TO purchases", "RenameTable orders")]
    [TestCase("ALTER TABLE orders ALTER COLUMN total TYPE bigint USING total::bigint", "AlterColumnType orders.total")]
    [TestCase("ALTER TABLE orders ALTER total SET DATA TYPE numeric(12,2)", "AlterColumnType orders.total")]
    [TestCase("ALTER TABLE orders ALTER COLUMN note SET NOT NULL", "SetNotNull orders.note")]
    [TestCase("ALTER TABLE orders ALTER COLUMN note DROP NOT NULL", "DropNotNull orders.note")]
    [TestCase("ALTER TABLE orders ALTER COLUMN note SET DEFAULT ''", "SetDefault orders.note")]
    [TestCase("ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check", "ValidateConstraint orders")]
    [TestCase("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON public.orders (placed_at)", "CreateIndex public.orders.placed_at")]
    [TestCase("DROP INDEX CONCURRENTLY IF EXISTS public.ix", "DropIndex public.ix")]
    [TestCase("DROP TABLE IF EXISTS audit_log CASCADE", "DropTable audit_log")]
    [TestCase("TRUNCATE TABLE events CASCADE", "Truncate events")]
    [TestCase("DROP SCHEMA legacy CASCADE", "DropSchema ")]
    [TestCase("SET LOCAL lock_timeout = '500ms'", "SetLockTimeout ")]
    [TestCase("VACUUM FULL orders", "VacuumFull ")]
    [TestCase("UPDATE orders SET total = 0 WHERE total IS NULL", "Update orders")]
    [TestCase("CREATE OR REPLACE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql", "Other ")]
    public void Statement_effect(string sql, string expected)
    {
        var effect = PgDdlAnalyzer.Analyze(sql).Single();
        Assert.That(effect.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Add_column_declarations_tell_not_null_default_and_volatility()
    {
        var effects = PgDdlAnalyzer.Analyze(
            "ALTER TABLE t ADD COLUMN a int NOT NULL, ADD COLUMN b text DEFAULT 'x' NOT NULL, ADD COLUMN IF NOT EXISTS c uuid DEFAULT gen_random_uuid(), ADD d bigserial, ADD e timestamptz DEFAULT now()");
        Assert.That(effects.Select(e => (e.Column, e.Declaration!.NotNull, e.Declaration.HasDefault, e.Declaration.VolatileDefault)), Is.EqualTo(new[]
        {
            ("a", true, false, false),
            ("b", true, true, false),
            ("c", false, true, true),
            ("d", false, true, true),
            ("e", false, true, false),
        }));
    }

    [Test]
    public void Constraints_know_their_kind_and_not_valid()
    {
        var effects = PgDdlAnalyzer.Analyze(
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID; " +
            "ALTER TABLE orders ADD CONSTRAINT ck CHECK (total >= 0); ALTER TABLE orders ADD CONSTRAINT uq UNIQUE USING INDEX uq_ix");
        Assert.That(effects.Select(e => (e.ConstraintKind, e.NotValid, e.UsingIndex)), Is.EqualTo(new[]
        {
            ("foreign key", true, false),
            ("check", false, false),
            ("unique", false, true),
        }));
        Assert.That(effects[0].Column, Is.EqualTo("customer_id"));
    }

    [Test]
    public void Create_table_lists_its_columns_and_a_view_over_a_table_is_recognised()
    {
        var effects = PgDdlAnalyzer.Analyze(
            "CREATE TABLE \"public\".\"items\" (\"id\" bigserial NOT NULL, \"name\" text, CONSTRAINT \"PK_items\" PRIMARY KEY (\"id\")); CREATE VIEW public.old_items AS SELECT * FROM public.items");
        Assert.That(effects[0].Columns.Select(c => $"{c.Name}:{c.Type}:{c.NotNull}"), Is.EqualTo(new[] { "id:bigserial:True", "name:text:False" }));
        Assert.That(effects[1].ViewOf, Is.EqualTo("public.items"));
    }
}
