using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Migrator.Analyzers.Tests.Rules;

/// <summary>
/// What a diagnostic tells its reader (issue 19): every rule links to its page by an absolute URL that a
/// project can point elsewhere (MigratorRuleDocsUrl), carries a full description, and its message names
/// the remedy in words right for the construct it flags.
/// </summary>
public class MessagesAndLinksTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [.. typeof(DapperSchemaAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    [Test]
    public void Every_rule_links_to_its_page_by_an_absolute_url_and_has_a_full_description()
    {
        var descriptors = Analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        Assert.That(descriptors, Has.Count.GreaterThanOrEqualTo(15));
        foreach (var d in descriptors)
        {
            Assert.That(d.HelpLinkUri, Does.StartWith("https://").And.EndWith($"docs/rules/{d.Id}.md"), d.Id);
            Assert.That(d.Description.ToString(), Is.Not.Empty, d.Id);
        }
    }

    [Test]
    public async Task Messages_name_the_remedy_for_the_construct_they_flag()
    {
        var messages = await MessagesAsync("""
            using System.Data;
            using Dapper;
            using FluentMigrator;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up()
                {
                    Create.Index("ix_orders_status").OnTable("orders").OnColumn("status").Ascending();
                    Delete.Index("ix_old").OnTable("orders");
                    Alter.Table("orders").AddColumn("note").AsString().Nullable();
                    Delete.FromTable("sessions").AllRows();
                }

                public override void Down() { }
            }
            public class Repo(IDbConnection db)
            {
                public int Typo(long id) => db.Execute("UPDATE customers SET nmae = 'x' WHERE id = @id", new { id });
                public long Add(string email) => db.ExecuteScalar<long>("INSERT INTO customers (email_address) VALUES (@email) RETURNING id", new { email });
            }
            """);
        foreach (var (id, message) in messages)
        {
            TestContext.Out.WriteLine($"{id}: {message}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(Message(messages, "MIG0021"), Does.Contain("AsConcurrently()"));
            Assert.That(Message(messages, "MIG0029"), Does.StartWith("Rows are deleted").And.Contain("backfill"));
            Assert.That(messages.Where(m => m.Id == "MIG0041").Select(m => m.Message), Has.All.Not.Contain("DropColumn"), "a dropped index is not told to drop columns");
            Assert.That(Message(messages, "MIG0102"), Does.Contain("add the column"));
            Assert.That(Message(messages, "MIG0110"), Does.Contain("regenerate migrator-schema.txt"));
            Assert.That(messages.Select(m => m.Id), Does.Contain("MIG0041"), "the dropped index is flagged");
        });
    }

    [Test]
    public async Task MigratorRuleDocsUrl_points_the_links_at_another_copy_of_the_pages()
    {
        var diagnostics = await DiagnosticsAsync("""
            using FluentMigrator;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up() => Create.Index("ix_a").OnTable("orders").OnColumn("a").Ascending();
                public override void Down() { }
            }
            """, "https://docs.example.com/migrator/rules/");
        var index = diagnostics.Single(d => d.Id == "MIG0021");
        Assert.That(index.Descriptor.HelpLinkUri, Is.EqualTo("https://docs.example.com/migrator/rules/MIG0021.md"));
    }

    private static string Message(List<(string Id, string Message)> messages, string id) =>
        messages.FirstOrDefault(m => m.Id == id).Message ?? throw new AssertionException($"no {id} among {string.Join(", ", messages.Select(m => m.Id))}");

    private static async Task<List<(string Id, string Message)>> MessagesAsync(string source) =>
        [.. (await DiagnosticsAsync(source, null)).Select(d => (d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))];

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, string? docsUrl)
    {
        var compilation = CSharpCompilation.Create("t", [CSharpSyntaxTree.ParseText(source)], Verifier.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.That(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty);
        var schema = new Text("migrator-schema.txt", """
            # migrator schema v1
            table public.customers id name! email email_address created_at
            table public.orders id customer_id! placed_at status
            """);
        var options = new AnalyzerOptions([schema], new DocsUrlOptions(docsUrl));
        return await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
    }

    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class DocsUrlOptions(string? docsUrl) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(docsUrl);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(string? docsUrl) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = docsUrl ?? "";
                return key == RuleDocs.Property && docsUrl is not null;
            }
        }
    }
}
