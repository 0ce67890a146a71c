using Migrator.Cli;
using Migrator.Cli.Commands;
using Migrator.Tests.Compatibility;
using Migrator.Tests.Infrastructure;
using Shop.Seed;

namespace Migrator.Tests.Cli;

/// <summary>Output at 80 columns (a fixed console width): tables that do not fit become lists, the
/// progress bar's text is shortened instead of wrapped (BackfillCliTests draws it at 80 columns), and
/// no id is ever broken.</summary>
public sealed class NarrowConsoleTests : DatabaseTest
{
    private const int Width = 80;

    [SetUp]
    public Task EmptyDatabaseAsync() =>
        ExecuteAsync("DROP SCHEMA IF EXISTS migrator CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");

    private async Task<CliResult> NarrowAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MigratorCli.RunAsync(
            [.. args, "--config", CliRunner.ShopConfig, "--migrations", CliRunner.ShopMigrations, "--connection", ConnectionString],
            CliContext.ForWriters(output, error, Width));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    private static void AssertFits(string output, string what)
    {
        // The one-line summary (safe/UNSAFE …) is a sentence, which a terminal wraps like any other.
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("safe:", StringComparison.Ordinal) && !l.StartsWith("UNSAFE:", StringComparison.Ordinal)).ToList();
        Assert.That(lines.Where(l => l.Length > Width), Is.Empty, $"{what}: lines wider than {Width} columns\n{output}");
        Assert.That(lines.Where(l => l.Trim().Length is > 0 and <= 2 && !l.Contains('│')), Is.Empty, $"{what}: text stacked vertically\n{output}");
    }

    [Test]
    public async Task Status_deploy_list_history_and_gate_fit_in_80_columns_with_ids_whole()
    {
        Assert.That((await NarrowAsync("expand", "--change", "202611230001")).ExitCode, Is.EqualTo(0));
        Assert.That((await NarrowAsync("deploy", "register", "1.0.0", "--slot", "blue")).ExitCode, Is.EqualTo(0));
        await ShopSeeder.SeedAsync(DataSource, customers: 300);
        Assert.That((await NarrowAsync("expand")).ExitCode, Is.EqualTo(0));
        Assert.That((await NarrowAsync("deploy", "hold", "add", "reports-export", "--reason", "the nightly export still reads customers.email until its own release")).ExitCode, Is.EqualTo(0));

        var status = await NarrowAsync("status");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        AssertFits(status.Output, "status");
        foreach (string id in new[] { "202611230001", "202611230002", "202611230003" })
        {
            Assert.That(status.Output, Does.Contain(id), "an id is never wrapped");
        }

        Assert.That(status.Output, Does.Contain("Rename customers.email to email_address"));

        var gate = await NarrowAsync("gate", "--to", "2.0.0");
        Assert.That(gate.ExitCode, Is.EqualTo(1), gate.ToString());
        AssertFits(gate.Output, "gate");
        Assert.That(gate.Output, Does.Contain("WAIT").And.Contain("202611230002"));

        foreach (var args in new[] { new[] { "deploy", "list" }, ["history"], ["deploy", "hold", "list"] })
        {
            var result = await NarrowAsync(args);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            AssertFits(result.Output, string.Join(" ", args));
        }
    }

    [Test]
    public async Task Plan_findings_and_change_list_fit_in_80_columns()
    {
        var output = new StringWriter();
        int code = await MigratorCli.RunAsync(
            ["plan", "--config", ShopManifests.NextConfig, "--migrations", ShopManifests.NextMigrations, "--usage", "2.0.0=" + ShopManifests.V2],
            CliContext.ForWriters(output, new StringWriter(), Width));
        Assert.That(code, Is.EqualTo(1));
        string text = output.ToString();

        // The SQL of each phase is printed as it is (runnable when copied); the rest fits.
        string changes = text[..text.IndexOf("== change", StringComparison.Ordinal)];
        string findings = text[text.IndexOf("Findings", StringComparison.Ordinal)..];
        AssertFits(changes, "plan's change list");
        AssertFits(findings, "plan's findings");
        Assert.That(findings, Does.Contain("MIG0101").And.Contain("OrderRepository.cs:"));
    }

    [TestCase(10)]
    [TestCase(20)]
    [TestCase(35)]
    [TestCase(46)]
    [TestCase(120)]
    public void The_progress_text_never_exceeds_its_room(int room)
    {
        foreach (string table in new[] { "public.customers", "billing.invoice_line_items_partitioned_by_month_2026" })
        {
            string text = BackfillCommand.ProgressText(table, 1_234_567, 9_876_543, 45_678.9, 5_000, room);
            Assert.That(text.Length, Is.LessThanOrEqualTo(room), text);
            Assert.That(text, Does.StartWith(table[..Math.Min(4, table.Length)]));
        }
    }

    [Test]
    public void A_table_that_fits_is_drawn_and_one_that_does_not_becomes_a_list()
    {
        var narrow = new StringWriter();
        var table = new CliTable("Changes", "Id", "Description", "Next")
            .AddRow("202611230002", "Rename customers.email to email_address", "contract, once 1.0.0 is retired and no hold keeps it waiting");
        table.Write(CliContext.ForWriters(narrow, TextWriter.Null, Width));
        Assert.That(narrow.ToString(), Does.Not.Contain("│"));
        Assert.That(narrow.ToString(), Does.Contain("202611230002 Rename customers.email to email_address"));
        Assert.That(narrow.ToString(), Does.Contain("    Next: contract, once 1.0.0 is retired"));
        AssertFits(narrow.ToString(), "list");

        var wide = new StringWriter();
        table.Write(CliContext.ForWriters(wide, TextWriter.Null, 200));
        Assert.That(wide.ToString(), Does.Contain("│ 202611230002 │ Rename customers.email to email_address │"));
    }
}
