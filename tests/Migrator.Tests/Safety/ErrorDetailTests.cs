using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Safety;

/// <summary>PostgreSQL's DETAIL and HINT reach the one error line (which views depend on a column a
/// contract drops), while row values in a DETAIL stay out of it and the password never appears.</summary>
public sealed class ErrorDetailTests : DatabaseTest
{
    [Test]
    public async Task A_dependency_error_names_the_view_in_its_line_and_migrator_connections_ask_for_the_detail()
    {
        await ExecuteAsync("DROP VIEW IF EXISTS customer_mail; DROP TABLE IF EXISTS mails; CREATE TABLE mails (id int PRIMARY KEY, email text); CREATE VIEW customer_mail AS SELECT id, email FROM mails;");
        await using var source = Migrator.Dialects.Postgres.PostgresConnector.CreateDataSource(ConnectionString);
        Assert.That(new Npgsql.NpgsqlConnectionStringBuilder(source.ConnectionString).IncludeErrorDetail, Is.True);

        await using var connection = await source.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(async () =>
        {
            await using var drop = new Npgsql.NpgsqlCommand("ALTER TABLE mails DROP COLUMN email", connection);
            await drop.ExecuteNonQueryAsync();
        });
        string line = Migrator.Backfill.PostgresErrorText.Describe(error!);
        Assert.That(line, Does.Contain("2BP01").And.Contain("detail: view customer_mail depends on column email of table mails").And.Contain("hint:"));
        Assert.That(line, Does.Not.Contain("\n"));
    }

    [Test]
    public async Task A_data_error_keeps_row_values_out_of_the_line()
    {
        Assert.That((await Cli("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        await ExecuteAsync("INSERT INTO products (sku, title, price_cents) VALUES ('secret-sku-42', 't', 1), ('secret-sku-43', 't', 1)");
        var result = await CliRunner.RunAsync("status", "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString + ";Password=hunter2-secret");
        Assert.That(result.Output + result.Error, Does.Not.Contain("hunter2-secret"));

        string text = Migrator.Backfill.PostgresErrorText.Describe(await DuplicateAsync());
        Assert.That(text, Does.Contain("23505").And.Contain("constraint").And.Contain("--verbose").And.Not.Contain("secret-sku-42"));
    }

    private async Task<Npgsql.PostgresException> DuplicateAsync()
    {
        await using var detailed = Npgsql.NpgsqlDataSource.Create(ConnectionString + ";Include Error Detail=true");
        try
        {
            await using var command = detailed.CreateCommand("UPDATE products SET sku = 'secret-sku-42'");
            await command.ExecuteNonQueryAsync();
        }
        catch (Npgsql.PostgresException e)
        {
            return e;
        }

        throw new AssertionException("the duplicate was not refused");
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.ShopAsync(ConnectionString, args);
}
