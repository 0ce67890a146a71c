using System.Text;
using FluentMigrator.Expressions;
using ColumnDefinition = FluentMigrator.Model.ColumnDefinition;
using IndexColumnDefinition = FluentMigrator.Model.IndexColumnDefinition;
using IndexDefinition = FluentMigrator.Model.IndexDefinition;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Dialects.SqlServer;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Dialects;

/// <summary>
/// The SQL Server dialect, proven offline. NO SQL SERVER WAS USED: none can run on these machines.
/// Every statement it writes parses with Microsoft's own T-SQL parser (ScriptDom, SQL Server 2022
/// grammar) with no error; the sync trigger's syntax tree is inspected for multi-row correctness; the
/// generated SQL is compared with a golden file (MIGRATOR_WRITE_DOCS=1 rewrites it, then review the
/// diff). Execution against a real server is what sample-schemas/sqlserver/cycle.sh is for (docs/sqlserver.md).
/// </summary>
public sealed class SqlServerDialectTests
{
    private static readonly SqlServerDialect Dialect = new();

    private static string GoldenPath => Path.Combine(CliRunner.RepoRoot, "tests", "Migrator.Tests", "Dialects", "Golden", "sqlserver.sql");

    /// <summary>Names a real schema has, and hostile ones: a closing bracket, quotes, a semicolon, unicode.</summary>
    private static readonly (string Schema, string Table, string[] Key, string Old, string New)[] Tables =
    [
        ("dbo", "customers", ["id"], "email", "email_address"),
        ("sales", "order_lines", ["order_id", "line_no"], "price_cents", "unit_price_cents"),
        ("we]ird", "t'; DROP TABLE x; --", ["k]1", "k 2"], "old]col", "néw col"),
    ];

    /// <summary>Every statement of every intent, labelled, in a fixed order.</summary>
    private static IEnumerable<(string Label, string Sql)> Statements()
    {
        foreach (var (schema, table, key, old, @new) in Tables)
        {
            string at = $"{schema}.{table}";
            yield return ($"add column {at}", Dialect.AddColumn(schema, table, @new, "nvarchar(320)").Sql);
            yield return ($"drop column {at}", Dialect.DropColumn(schema, table, old).Sql);
            yield return ($"rename column {at}", Dialect.RenameColumn(schema, table, old, @new).Sql);
            yield return ($"online index {at}", Dialect.CreateIndexOnline(schema, table, "ix_" + @new, [@new, .. key], unique: false).Sql);
            yield return ($"unique index, edition without online builds {at}", new SqlServerDialect(onlineIndexes: false).CreateIndexOnline(schema, table, "ux_" + @new, [@new], unique: true).Sql);
            yield return ($"drop table {at}", Dialect.DropTable(schema, table).Sql);
            yield return ($"rename table {at}", Dialect.RenameTable(schema, table, table + "_v2", ifExists: false).Sql);
            yield return ($"rename table back if it exists {at}", Dialect.RenameTable(schema, table + "_v2", table, ifExists: true).Sql);
            yield return ($"pass-through view {at}", Dialect.CreatePassThroughView(schema, table, table + "_v2").Sql);
            yield return ($"drop view {at}", Dialect.DropView(schema, table).Sql);
            yield return ($"drop index {at}", Dialect.DropIndex(schema, table, "ix_" + @new, partitioned: false).Sql);
            yield return ($"set default {at}", Dialect.SetDefault(schema, table, @new, "N''").Sql);
            yield return ($"drop default {at}", Dialect.DropDefault(schema, table, @new).Sql);
            int step = 0;
            foreach (var transaction in Dialect.ProveNotNull(schema, table, @new, "nvarchar(320)", "migrator_nn_1_" + @new))
            {
                step++;
                foreach (var statement in transaction)
                {
                    yield return ($"prove NOT NULL {at}, transaction {step}", statement.Sql);
                }
            }

            var trigger = Dialect.SyncTrigger(new SyncColumns(202612030001, schema, table, key, old, @new, Dialect.Quote(old), Dialect.Quote(@new)));
            foreach (string sql in trigger.Create)
            {
                yield return ($"sync trigger {at}", sql);
            }

            foreach (string sql in trigger.Drop)
            {
                yield return ($"drop sync trigger {at}", sql);
            }

            yield return ($"backfill batch {at}", Dialect.BackfillBatch(new BackfillBatchSpec(schema, table, key,
                $"{Dialect.Quote(@new)} = {Dialect.Quote(old)}", $"{Dialect.Quote(@new)} IS NULL AND {Dialect.Quote(old)} IS NOT NULL", 1000)));
            yield return ($"backfill batch with key types {at}", Dialect.BackfillBatch(new BackfillBatchSpec(schema, table, key,
                $"{Dialect.Quote(@new)} = {Dialect.Quote(old)}", $"{Dialect.Quote(@new)} IS NULL", 500)
            { KeyTypes = [.. key.Select(_ => "bigint")] }));
        }

        foreach (string sql in Dialect.LedgerTables())
        {
            yield return ("ledger", sql);
        }

        foreach (string sql in new SqlServerDialect("odd]ledger").LedgerTables())
        {
            yield return ("ledger in a hostile schema name", sql);
        }

        yield return ("ledger lock", Dialect.TryLedgerLock(shared: false));
        yield return ("ledger lock, shared", Dialect.TryLedgerLock(shared: true));
        yield return ("lock timeout", Dialect.SetLockTimeout(500));
        yield return ("edition", SqlServerDialect.EditionQuery);

        foreach (var expression in Expressions())
        {
            foreach (var statement in Dialect.Generate(expression))
            {
                yield return ($"FluentMigrator {expression.GetType().Name}", statement.Sql);
            }
        }
    }

    private static IEnumerable<IMigrationExpression> Expressions()
    {
        var table = new CreateTableExpression { SchemaName = "dbo", TableName = "products" };
        table.Columns.Add(new ColumnDefinition { Name = "id", Type = System.Data.DbType.Int64, IsPrimaryKey = true, IsIdentity = true, TableName = "products" });
        table.Columns.Add(new ColumnDefinition { Name = "sku", Type = System.Data.DbType.String, Size = 40, IsNullable = false, TableName = "products" });
        yield return table;
        yield return new CreateColumnExpression { SchemaName = "dbo", TableName = "products", Column = new ColumnDefinition { Name = "title", Type = System.Data.DbType.String, Size = 200, IsNullable = true, TableName = "products" } };
        var index = new CreateIndexExpression { Index = new IndexDefinition { SchemaName = "dbo", TableName = "products", Name = "ix_products_sku" } };
        index.Index.Columns.Add(new IndexColumnDefinition { Name = "sku" });
        yield return index;
        yield return new DeleteColumnExpression { SchemaName = "dbo", TableName = "products", ColumnNames = ["title"] };
        yield return new RenameTableExpression { SchemaName = "dbo", OldName = "products", NewName = "catalog_items" };
    }

    [Test]
    public void Every_generated_statement_parses_with_ScriptDom_no_live_server_used()
    {
        var statements = Statements().ToList();
        Assert.That(statements, Has.Count.GreaterThanOrEqualTo(60));
        string[] single = ["add column", "drop column", "rename column", "online index", "unique index", "prove NOT NULL", "sync trigger", "drop sync trigger", "lock timeout", "edition", "drop table", "drop index", "rename table", "pass-through view", "drop view"];
        foreach (var (label, sql) in statements)
        {
            var errors = TSqlTree.Parse(sql, out var fragment);
            Assert.That(errors.Select(e => $"line {e.Line}: {e.Message}"), Is.Empty, $"{label}:\n{sql}");

            // A hostile name never splits a statement in two: one statement where one is written.
            if (single.Any(s => label.StartsWith(s, StringComparison.Ordinal)))
            {
                Assert.That(((TSqlScript)fragment).Batches.Sum(b => b.Statements.Count), Is.EqualTo(1), $"{label}:\n{sql}");
            }
        }
    }

    [Test]
    public void The_generated_sql_matches_the_golden_file()
    {
        var text = new StringBuilder("-- Generated by SqlServerDialectTests (MIGRATOR_WRITE_DOCS=1 rewrites it). Parsed with ScriptDom; never run on a server.\n");
        foreach (var (label, sql) in Statements())
        {
            text.Append("\n-- ").Append(label).Append('\n').Append(sql.TrimEnd()).Append('\n');
        }

        if (Environment.GetEnvironmentVariable("MIGRATOR_WRITE_DOCS") == "1")
        {
            File.WriteAllText(GoldenPath, text.ToString());
        }

        Assert.That(text.ToString(), Is.EqualTo(File.ReadAllText(GoldenPath)), "the SQL Server output changed: review it, then rewrite the golden file with MIGRATOR_WRITE_DOCS=1");
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void The_sync_trigger_is_set_based_over_every_inserted_and_deleted_row(int which)
    {
        var (schema, table, key, old, @new) = Tables[which];
        var trigger = Dialect.SyncTrigger(new SyncColumns(7, schema, table, key, old, @new, Dialect.Quote(old), Dialect.Quote(@new)));
        Assert.That(TSqlTree.Parse(trigger.Create.Single(), out var fragment), Is.Empty);
        var create = TSqlTree.Find<CreateOrAlterTriggerStatement>(fragment).Single();

        Assert.That(create.TriggerType, Is.EqualTo(TriggerType.After));
        Assert.That(create.TriggerActions.Select(a => a.TriggerActionType), Is.EquivalentTo(new[] { TriggerActionType.Insert, TriggerActionType.Update }));
        Assert.That(create.TriggerObject.Name.BaseIdentifier.Value, Is.EqualTo(table));

        // Never a row read into a variable (the classic trigger bug: only one row of a multi-row
        // statement handled).
        Assert.That(TSqlTree.Find<SelectSetVariable>(fragment), Is.Empty);
        Assert.That(TSqlTree.Find<DeclareVariableStatement>(fragment), Is.Empty);

        // Two updates, each joining the table to inserted on every key column, and deleted with a LEFT
        // JOIN (absent for inserted rows).
        var updates = TSqlTree.Find<UpdateStatement>(fragment).ToList();
        Assert.That(updates, Has.Count.EqualTo(2));
        foreach (var update in updates)
        {
            var joins = TSqlTree.Find<QualifiedJoin>(update).ToList();
            var inserted = joins.Single(j => Names(j.SecondTableReference).Contains("inserted"));
            Assert.That(inserted.QualifiedJoinType, Is.EqualTo(QualifiedJoinType.Inner));
            var deleted = joins.Single(j => Names(j.SecondTableReference).Contains("deleted"));
            Assert.That(deleted.QualifiedJoinType, Is.EqualTo(QualifiedJoinType.LeftOuter));
            foreach (var join in new[] { inserted, deleted })
            {
                var compared = TSqlTree.Find<BooleanComparisonExpression>(join.SearchCondition)
                    .Where(c => c.ComparisonType == BooleanComparisonType.Equals)
                    .Select(c => ((ColumnReferenceExpression)c.FirstExpression).MultiPartIdentifier.Identifiers[^1].Value)
                    .ToList();
                Assert.That(compared, Is.EquivalentTo(key), "joined on the whole primary key");
            }
        }

        // Recursion and the backfill's own writes are left alone.
        string body = trigger.Create.Single();
        Assert.That(body, Does.Contain("IF TRIGGER_NESTLEVEL(@@PROCID) > 1 RETURN;"));
        Assert.That(body, Does.Contain($"SESSION_CONTEXT(N'{SqlServerDialect.BackfillSessionKey}')"));
        Assert.That(trigger.Drop.Single(), Does.StartWith("DROP TRIGGER IF EXISTS"));
    }

    /// <summary>The script a user runs on their own server (docs/sqlserver.md) holds the dialect's
    /// statements verbatim, and parses.</summary>
    [Test]
    public void The_check_script_for_a_real_server_holds_the_generated_statements_and_parses()
    {
        string script = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "sample-schemas", "sqlserver", "check.sql"));
        var labels = new[] { "add column dbo.customers", "sync trigger dbo.customers", "prove NOT NULL dbo.customers, transaction 1", "prove NOT NULL dbo.customers, transaction 2", "drop sync trigger dbo.customers" };
        var statements = Statements().ToList();
        foreach (string label in labels)
        {
            Assert.That(script, Does.Contain(statements.First(s => s.Label == label).Sql.Trim()), label);
        }

        string backfill = statements.First(s => s.Label == "backfill batch with key types dbo.customers").Sql.Trim();
        Assert.That(script, Does.Contain(backfill.Replace("'", "''", StringComparison.Ordinal)));
        Assert.That(TSqlTree.Parse(script, out _).Select(e => $"line {e.Line}: {e.Message}"), Is.Empty);
    }

    [Test]
    public void Introspection_queries_parse()
    {
        foreach (var (name, sql) in SqlServerCatalogQueries.All)
        {
            Assert.That(TSqlTree.Parse(sql, out _).Select(e => e.Message), Is.Empty, name);
        }
    }

    [Test]
    public void A_name_over_128_characters_is_refused_and_names_migrator_makes_are_shortened_with_a_hash()
    {
        var error = Assert.Throws<MigratorException>(() => Dialect.Quote(new string('x', 129)));
        Assert.That(error!.Message, Does.Contain("SQL Server allows 128"));
        string a = Dialect.ShortenName("migrator_sync_1_" + new string('a', 200));
        string b = Dialect.ShortenName("migrator_sync_1_" + new string('a', 199) + "b");
        Assert.That(a, Has.Length.EqualTo(128));
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Both_dialects_stand_behind_one_interface()
    {
        ISqlDialect[] dialects = [new PostgresDialect(), new SqlServerDialect()];
        Assert.That(dialects.Select(d => d.Provider), Is.EqualTo(new[] { "postgres", "sqlserver" }));
        Assert.That(dialects.Select(d => d.LockTimeoutError), Is.EqualTo(new[] { "55P03", "1222" }));
        Assert.That(dialects[0].Quote("a\"b"), Is.EqualTo("\"a\"\"b\""));
        Assert.That(dialects[1].Quote("a]b"), Is.EqualTo("[a]]b]"));
        Assert.That(dialects[0].ProveNotNull("public", "t", "c", "text", "nn").Count, Is.EqualTo(3));
        Assert.That(dialects[1].ProveNotNull("dbo", "t", "c", "nvarchar(10)", "nn").Count, Is.EqualTo(2));
    }

    private static IEnumerable<string> Names(TableReference reference) =>
        TSqlTree.Find<NamedTableReference>(reference).Select(n => n.SchemaObject.BaseIdentifier.Value);
}
