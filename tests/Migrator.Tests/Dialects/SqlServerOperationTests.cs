using System.Text;
using FluentMigrator.Expressions;
using FluentMigrator.Model;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Migrator.Authoring;
using Migrator.Authoring.Operations;
using Migrator.Dialects;
using Migrator.Dialects.SqlServer;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using ColumnDefinition = FluentMigrator.Model.ColumnDefinition;

namespace Migrator.Tests.Dialects;

/// <summary>
/// Every high-level operation on SQL Server, offline. NO SQL SERVER WAS USED: each operation is
/// compiled against a model shaped like a real schema (an identity key, a composite key declared in
/// another order than its columns, defaults, hostile names), and every statement of its expand,
/// contract and rollback, its backfill batch and its contract preconditions must parse with ScriptDom
/// (SQL Server 2022 grammar) with no error. The whole output is kept in a golden file.
/// </summary>
public sealed class SqlServerOperationTests
{
    private static readonly SqlServerDialect Dialect = new();

    private static string GoldenPath => Path.Combine(CliRunner.RepoRoot, "tests", "Migrator.Tests", "Dialects", "Golden", "sqlserver-operations.sql");

    private const string Odd = "we]ird";
    private const string OddTable = "t'; DROP TABLE x; --";

    /// <summary>The schema before each operation, rebuilt for each (operations read it, ApplyTo changes it).</summary>
    private static SchemaModel Model()
    {
        var model = new SchemaModel();
        Table(model, "dbo", "customers",
            Col("id", "bigint", nullable: false, key: true, identity: true),
            Col("email", "nvarchar(200)", nullable: false),
            Col("full_name", "nvarchar(200)"),
            Col("status", "int", nullable: false, defaultSql: "0"),
            Col("legacy_code", "nvarchar(20)", nullable: false));

        // Key (order_id, line_no), declared line_no first.
        Table(model, "sales", "order_lines",
            Col("line_no", "int", nullable: false, key: true),
            Col("order_id", "bigint", nullable: false, key: true),
            Col("customer_id", "bigint"),
            Col("price_cents", "int", nullable: false),
            Col("note", "nvarchar(100)"));
        model.GetTable("sales", "order_lines").KeyColumns = ["order_id", "line_no"];

        Table(model, Odd, OddTable,
            Col("k]1", "int", nullable: false, key: true),
            Col("k 2", "nvarchar(10)", nullable: false, key: true),
            Col("old]col", "nvarchar(50)"),
            Col("néw col", "nvarchar(50)"));
        return model;
    }

    private static ColumnDefinition Col(string name, string type, bool nullable = true, bool key = false, bool identity = false, string? defaultSql = null) => new()
    {
        Name = name,
        CustomType = type,
        IsNullable = nullable && !key,
        IsPrimaryKey = key,
        IsIdentity = identity,
        DefaultValue = defaultSql is null ? new ColumnDefinition.UndefinedDefaultValue() : FluentMigrator.RawSql.Insert(defaultSql),
    };

    private static void Table(SchemaModel model, string schema, string name, params ColumnDefinition[] columns)
    {
        var create = new CreateTableExpression { SchemaName = schema, TableName = name };
        foreach (var column in columns)
        {
            column.TableName = name;
            create.Columns.Add(column);
        }

        model.Apply(create);
    }

    /// <summary>Each operation, labelled: at least one case per operation type.</summary>
    private static IEnumerable<(string Label, IOperation Operation)> Operations()
    {
        yield return ("create table", new CreateTable("dbo", "invoices", t => t
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("customer_id").AsInt64().NotNullable()
            .WithColumn("total_cents").AsInt32().NotNullable().WithDefaultValue(0)));
        yield return ("drop table", new DropTable("dbo", "customers"));
        yield return ("rename table", new RenameTable("dbo", "customers", "clients"));
        yield return ("sql", new SqlScript(Phase.Expand, "UPDATE [dbo].[customers] SET [status] = 1 WHERE [status] = 0;", "UPDATE [dbo].[customers] SET [status] = 0 WHERE [status] = 1;", "dbo", ["customers.status"]));
        yield return ("set default", new SetDefault("dbo", "customers", "full_name", "N''"));
        yield return ("drop default", new DropDefault("dbo", "customers", "status"));
        yield return ("drop index", new DropIndex("dbo", "customers", "ix_customers_email"));
        yield return ("create index", new CreateIndex("sales", "order_lines", "ix_order_lines_customer", ["customer_id", "order_id"]));
        yield return ("create unique filtered index", new CreateIndex("dbo", "customers", "ux_customers_email", ["email"], unique: true, where: "[status] <> 9"));
        yield return ("add column, nullable", new AddColumn("dbo", "customers", "phone", "nvarchar(30)"));
        yield return ("add column, NOT NULL with a constant default", new AddColumn("dbo", "customers", "tier", "int", nullable: false, defaultSql: "1"));
        yield return ("add column, volatile default", new AddColumn("dbo", "customers", "created_at", "datetime2", defaultSql: "SYSUTCDATETIME()"));
        yield return ("add column, NOT NULL filled", new AddColumn("sales", "order_lines", "total_cents", "bigint", nullable: false, fill: "CAST([price_cents] AS bigint) * 1"));
        yield return ("set NOT NULL", new SetNotNull("dbo", "customers", "full_name"));
        yield return ("set NOT NULL with a fill", new SetNotNull("sales", "order_lines", "note", fill: "N'(none)'"));
        yield return ("drop NOT NULL", new DropNotNull("dbo", "customers", "legacy_code", rollbackFill: "N'?'"));
        yield return ("add check", new AddCheckConstraint("sales", "order_lines", "ck_price_positive", "[price_cents] >= 0", ["price_cents"]));
        yield return ("add unique", new AddUniqueConstraint("dbo", "customers", "uq_customers_email", ["email"]));
        yield return ("add foreign key", new AddForeignKey("sales", "order_lines", "fk_order_lines_customer", ["customer_id"], "dbo.customers", ["id"], "SET NULL"));
        yield return ("change type, shrinking text", new ChangeColumnType("dbo", "customers", "email", "nvarchar(120)"));
        yield return ("change type, with up and down", new ChangeColumnType("sales", "order_lines", "price_cents", "decimal(12,2)", up: "CAST([price_cents] AS decimal(12,2)) / 100", down: "CAST([price_cents] * 100 AS int)"));
        yield return ("rename column", new RenameColumn("dbo", "customers", "email", "email_address"));
        yield return ("rename column, hostile names", new RenameColumn(Odd, OddTable, "old]col", "renamed]col"));
        yield return ("split column", new SplitColumn("dbo", "customers", "full_name",
            [new NewColumn("first_name", "nvarchar(100)", "LEFT(full_name, CHARINDEX(N' ', full_name + N' ') - 1)", Nullable: false),
             new NewColumn("last_name", "nvarchar(100)", "LTRIM(SUBSTRING(full_name, CHARINDEX(N' ', full_name + N' '), 200))")],
            "CONCAT_WS(N' ', first_name, last_name)"));
        yield return ("merge columns", new MergeColumns(Odd, OddTable, ["old]col", "néw col"], new NewColumn("both", "nvarchar(101)", "CONCAT([old]]col], N'|', [néw col])"),
            new Dictionary<string, string> { ["old]col"] = "LEFT(both, CHARINDEX(N'|', both + N'|') - 1)", ["néw col"] = "NULLIF(SUBSTRING(both, CHARINDEX(N'|', both + N'|') + 1, 50), N'')" }));
        yield return ("drop column", new DropColumn("dbo", "customers", "full_name"));
        yield return ("drop column with a down expression", new DropColumn("dbo", "customers", "legacy_code", down: "N'LEGACY-' + CAST([id] AS nvarchar(20))"));
    }

    /// <summary>Every statement an operation plans, labelled by phase.</summary>
    private static IEnumerable<(string Phase, string Sql)> Plan(IOperation operation)
    {
        var context = new OperationContext(202612030001, Model(), Dialect);
        foreach (var statement in operation.Expand(context).Where(s => !s.IsBoundary))
        {
            yield return ("expand", statement.Sql);
        }

        if (operation.Backfill(context) is { } backfill)
        {
            var table = context.Schema.GetTable(backfill.Schema, backfill.Table);
            yield return ("backfill batch", Dialect.BackfillBatch(new BackfillBatchSpec(backfill.Schema, backfill.Table, table.KeyColumns, backfill.Set, backfill.Pending, 1000)));
        }

        if (operation is IHasContractPreconditions checks)
        {
            foreach (var precondition in checks.Preconditions(context))
            {
                yield return ("contract precondition", precondition.Violation);
            }
        }

        foreach (var statement in operation.Contract(context).Where(s => !s.IsBoundary))
        {
            yield return ("contract", statement.Sql);
        }

        foreach (var statement in operation.Rollback(context).Where(s => !s.IsBoundary))
        {
            yield return ("rollback", statement.Sql);
        }
    }

    [Test]
    public void Every_operation_type_is_covered_and_supported_on_sqlserver()
    {
        var covered = Operations().Select(o => o.Operation.GetType()).ToHashSet();
        var all = typeof(IOperation).Assembly.GetTypes()
            .Where(t => typeof(IOperation).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .ToList();
        Assert.That(all, Has.Count.GreaterThanOrEqualTo(19));
        Assert.That(all.Where(t => !covered.Contains(t)).Select(t => t.Name), Is.Empty, "an operation type without a SQL Server case here");
        foreach (var (label, operation) in Operations())
        {
            Assert.That(operation.Supports(Dialect), Is.True, label);
        }
    }

    [Test]
    public void Every_statement_of_every_phase_parses_with_ScriptDom_no_live_server_used()
    {
        foreach (var (label, operation) in Operations())
        {
            var plan = Plan(operation).ToList();
            Assert.That(plan.Where(p => p.Phase == "expand" || p.Phase == "contract"), Is.Not.Empty, label);
            foreach (var (phase, sql) in plan)
            {
                Assert.That(TSqlTree.Parse(sql, out _).Select(e => $"line {e.Line}: {e.Message}"), Is.Empty, $"{label}, {phase}:\n{sql}");
                Assert.That(sql, Does.Not.Contain("::").And.Not.Contain("\"").And.Not.Contain(" NOT VALID").And.Not.Contain("CONCURRENTLY"),
                    $"{label}, {phase}: PostgreSQL syntax in T-SQL:\n{sql}");
            }
        }
    }

    [Test]
    public void The_generated_sql_matches_the_golden_file()
    {
        var text = new StringBuilder("-- Generated by SqlServerOperationTests (MIGRATOR_WRITE_DOCS=1 rewrites it). Parsed with ScriptDom; never run on a server.\n");
        foreach (var (label, operation) in Operations())
        {
            text.Append("\n-- ==== ").Append(label).Append(": ").Append(operation.Describe()).Append('\n');
            foreach (var (phase, sql) in Plan(operation))
            {
                text.Append("-- ").Append(phase).Append('\n').Append(sql.TrimEnd()).Append('\n');
            }
        }

        if (Environment.GetEnvironmentVariable("MIGRATOR_WRITE_DOCS") == "1")
        {
            File.WriteAllText(GoldenPath, text.ToString());
        }

        Assert.That(text.ToString(), Is.EqualTo(File.ReadAllText(GoldenPath)), "the SQL Server output changed: review it, then rewrite the golden file with MIGRATOR_WRITE_DOCS=1");
    }

    /// <summary>The rewrite's trigger (split: one old column, two new, one of them required) is set
    /// based: every UPDATE joins inserted on the whole key, reads no row into a variable, and evaluates
    /// the user's expressions over a VALUES row that names exactly the columns of their side.</summary>
    [Test]
    public void The_rewrite_trigger_is_set_based_and_binds_each_side_by_name()
    {
        var split = Operations().Single(o => o.Label == "split column").Operation;
        string trigger = split.Expand(new OperationContext(7, Model(), Dialect)).Single(s => s.Sql.StartsWith("CREATE OR ALTER TRIGGER", StringComparison.Ordinal)).Sql;
        Assert.That(TSqlTree.Parse(trigger, out var fragment), Is.Empty);
        var create = TSqlTree.Find<CreateOrAlterTriggerStatement>(fragment).Single();
        Assert.That(create.TriggerType, Is.EqualTo(TriggerType.After));
        Assert.That(TSqlTree.Find<DeclareVariableStatement>(fragment), Is.Empty);
        Assert.That(TSqlTree.Find<SelectSetVariable>(fragment), Is.Empty);

        // Down (old from new), the required first_name completed from the old side, then up.
        var updates = TSqlTree.Find<UpdateStatement>(fragment).ToList();
        Assert.That(updates, Has.Count.EqualTo(3));
        foreach (var update in updates)
        {
            var inserted = TSqlTree.Find<QualifiedJoin>(update).Single(j => j.SecondTableReference is NamedTableReference { SchemaObject.BaseIdentifier.Value: "inserted" });
            Assert.That(inserted.QualifiedJoinType, Is.EqualTo(QualifiedJoinType.Inner));
            var keys = TSqlTree.Find<BooleanComparisonExpression>(inserted.SearchCondition)
                .Select(c => ((ColumnReferenceExpression)c.FirstExpression).MultiPartIdentifier.Identifiers[^1].Value);
            Assert.That(keys, Is.EquivalentTo(new[] { "id" }));
            var apply = TSqlTree.Find<UnqualifiedJoin>(update).Single();
            Assert.That(apply.UnqualifiedJoinType, Is.EqualTo(UnqualifiedJoinType.CrossApply));
            Assert.That(TSqlTree.Find<InlineDerivedTable>(apply).Single().Columns.Select(c => c.Value), Is.Not.Empty);
        }

        // The down direction sees the new shape (first_name, last_name, and the kept columns); the up
        // direction the old shape (full_name).
        var downNames = TSqlTree.Find<InlineDerivedTable>(updates[0]).Single().Columns.Select(c => c.Value).ToList();
        var upNames = TSqlTree.Find<InlineDerivedTable>(updates[2]).Single().Columns.Select(c => c.Value).ToList();
        Assert.That(downNames, Does.Contain("first_name").And.Contain("last_name").And.Not.Contain("full_name"));
        Assert.That(upNames, Does.Contain("full_name").And.Not.Contain("first_name"));
        Assert.That(trigger, Does.Contain("IF TRIGGER_NESTLEVEL(@@PROCID) > 1 RETURN;"));
        Assert.That(trigger, Does.Contain($"SESSION_CONTEXT(N'{SqlServerDialect.BackfillSessionKey}')"));
    }

    /// <summary>Where the fill trigger runs after the checks (SQL Server), a column it fills cannot be
    /// NOT NULL while a version leaves it out: the check comes with the contract, not the expand.</summary>
    [Test]
    public void A_filled_column_is_proven_NOT_NULL_in_the_contract_because_sqlserver_triggers_run_after_checks()
    {
        var context = new OperationContext(9, Model(), Dialect);
        var add = new AddColumn("sales", "order_lines", "total_cents", "bigint", nullable: false, fill: "CAST([price_cents] AS bigint)");
        Assert.That(add.Expand(context).Select(s => s.Sql), Has.None.Contains("CHECK"));
        var contract = add.Contract(context).Where(s => !s.IsBoundary).Select(s => s.Sql).ToList();
        Assert.That(contract[0], Does.Contain("WITH NOCHECK ADD CONSTRAINT [migrator_nn_9_total_cents] CHECK ([total_cents] IS NOT NULL)"));
        Assert.That(contract[1], Does.Contain("WITH CHECK CHECK CONSTRAINT [migrator_nn_9_total_cents]"));

        var drop = new DropColumn("dbo", "customers", "legacy_code", down: "N'x'");
        var expand = drop.Expand(context).Select(s => s.Sql).ToList();
        Assert.That(expand[0], Is.EqualTo("ALTER TABLE [dbo].[customers] ALTER COLUMN [legacy_code] nvarchar(20) NULL /* migrator: filled by a trigger in the same statement during the window */;"), "the column lets NULL in before the fill trigger exists");
        Assert.That(drop.Rollback(context).Select(s => s.Sql), Has.Some.Contains("WITH CHECK CHECK CONSTRAINT"), "the rollback proves it NOT NULL again");
    }

    /// <summary>SQL Server refuses to drop a column a default or a CHECK reads: a dropped column loses its
    /// default constraint and Migrator's own NOT NULL checks first, in the same statement; a user's own
    /// CHECK is not touched (the drop then fails whole).</summary>
    [Test]
    public void A_dropped_column_loses_its_default_and_migrators_own_checks_first()
    {
        var context = new OperationContext(3, Model(), Dialect);
        string drop = new DropColumn("dbo", "customers", "full_name").Contract(context).Single().Sql;
        int defaultAt = drop.IndexOf("sys.default_constraints", StringComparison.Ordinal);
        int checksAt = drop.IndexOf("cc.name LIKE N'migrator[_]nn[_]%'", StringComparison.Ordinal);
        int dropAt = drop.IndexOf("ALTER TABLE [dbo].[customers] DROP COLUMN [full_name];", StringComparison.Ordinal);
        Assert.That(new[] { defaultAt, checksAt, dropAt }, Is.All.GreaterThanOrEqualTo(0), drop);
        Assert.That(new[] { defaultAt, checksAt, dropAt }, Is.Ordered, drop);
        Assert.That(TSqlTree.Parse(drop, out _), Is.Empty);
    }

    [Test]
    public void An_expression_index_and_a_bad_referential_action_are_refused_with_one_clear_line()
    {
        Assert.That(new CreateIndex("dbo", "customers", "ix_lower", ["(lower(email))"]).Supports(Dialect), Is.False);
        Assert.That(new CreateIndex("dbo", "customers", "ix_gin", ["email"], method: "gin").Supports(Dialect), Is.False);
        var error = Assert.Throws<MigratorException>(() => new AddForeignKey("sales", "order_lines", "fk", ["customer_id"], "dbo.customers", ["id"], "CASCADE; DROP TABLE x")
            .Expand(new OperationContext(1, Model(), Dialect)));
        Assert.That(error!.Message, Does.Contain("ON DELETE must be one of"));
    }
}
