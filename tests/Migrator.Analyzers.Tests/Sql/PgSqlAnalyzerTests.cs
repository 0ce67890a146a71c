using Migrator.Analyzers.Sql;

namespace Migrator.Analyzers.Tests.Sql;

public class PgSqlAnalyzerTests
{
    [Test]
    public void An_unqualified_column_among_two_tables_without_a_schema_is_unresolved_not_guessed()
    {
        var analysis = PgSqlAnalyzer.Analyze("SELECT name FROM customers c JOIN orders o ON o.customer_id = c.id");
        Assert.That(analysis.UnresolvedColumns, Is.EqualTo(new[] { "name" }));
        Assert.That(analysis.Columns.Select(c => c.ToString()), Is.EquivalentTo(new[] { "orders.customer_id", "customers.id" }));
    }

    [Test]
    public void Parameters_kind_and_written_tables_are_reported()
    {
        var analysis = PgSqlAnalyzer.Analyze("UPDATE orders SET total = @total WHERE id = @id AND total <> @total");
        Assert.That(analysis.Kind, Is.EqualTo(StatementKind.Update));
        Assert.That(analysis.Parameters, Is.EqualTo(new[] { "total", "id" }));
        Assert.That(analysis.Tables.Single().Written, Is.True);
    }

    [Test]
    public void A_statement_that_does_not_parse_is_an_error_and_the_others_are_still_read()
    {
        var analysis = PgSqlAnalyzer.Analyze("SELECT id FROM orders WHERE; SELECT email FROM customers");
        Assert.That(analysis.Errors, Has.Count.EqualTo(1));
        Assert.That(analysis.Errors[0], Does.Contain("unexpected end of input").Or.Contain("Syntax error"));
        Assert.That(analysis.Columns.Select(c => c.ToString()), Is.EqualTo(new[] { "customers.email" }));
    }

    [Test]
    public void Non_dml_statements_are_listed_as_other()
    {
        var analysis = PgSqlAnalyzer.Analyze("SET LOCAL statement_timeout = 5000; SELECT 1");
        Assert.That(analysis.OtherStatements, Is.EqualTo(new[] { "SET" }));
        Assert.That(analysis.HasErrors, Is.False);
    }

    [Test]
    public void An_unterminated_string_is_an_error_not_an_exception()
    {
        var analysis = PgSqlAnalyzer.Analyze("SELECT 'oops FROM t");
        Assert.That(analysis.HasErrors, Is.True);
    }
}
