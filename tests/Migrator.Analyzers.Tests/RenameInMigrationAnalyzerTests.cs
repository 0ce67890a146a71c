using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Migrator.Analyzers.Tests;

/// <summary>MIG0004 on real compilations against .NET 10 reference assemblies (offline).</summary>
public sealed class RenameInMigrationAnalyzerTests
{
    [Test]
    public async Task Rename_column_in_a_plain_migration_is_flagged()
    {
        var diagnostics = await AnalyzeAsync("""
            using FluentMigrator;
            [Migration(1)]
            public class M : Migration
            {
                public override void Up() => Rename.Column("email").OnTable("customers").To("email_address");
                public override void Down() { }
            }
            """);
        Assert.That(diagnostics.Select(d => d.Id), Is.EqualTo(new[] { "MIG0004" }));
        Assert.That(diagnostics[0].GetMessage(), Does.Contain("Rename.Column"));
    }

    [Test]
    public async Task Rename_table_split_over_statements_in_an_expand_phase_is_flagged()
    {
        var diagnostics = await AnalyzeAsync("""
            using Migrator.Authoring;
            [Change(2, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                protected override void Expand()
                {
                    var root = Rename;
                    var step = root.Table("customers");
                    step.To("clients");
                }
            }
            """);
        Assert.That(diagnostics.Select(d => d.Id), Is.EqualTo(new[] { "MIG0004" }));
    }

    [Test]
    public async Task Rename_in_a_contract_phase_and_the_RenameColumn_operation_are_not_flagged()
    {
        var diagnostics = await AnalyzeAsync("""
            using Migrator.Authoring;
            [Change(3, "x", AppVersion = "2.0.0")]
            public class C : Change
            {
                public C() => RenameColumn("customers", "email", "email_address");
                protected override void Contract() => Rename.Column("tmp").OnTable("t").To("final");
            }
            """);
        Assert.That(diagnostics, Is.Empty);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
    {
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(FluentMigrator.Migration).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(FluentMigrator.Builders.Rename.IRenameExpressionRoot).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Migrator.Authoring.Change).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "Subject",
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.That(errors, Is.Empty, "the test source must compile");
        return await compilation.WithAnalyzers([new RenameInMigrationAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }
}
