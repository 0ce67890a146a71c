using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Migrator.Analyzers.Tests;

/// <summary>
/// Runs analyzers and code fixes with Microsoft.CodeAnalysis.Testing, fully offline: the .NET 10 reference
/// assemblies come from Basic.Reference.Assemblies.Net100 (nothing to download), plus FluentMigrator, its
/// PostgreSQL extensions, Dapper, Migrator and EF Core (Relational, for MigrationBuilder). Diagnostics are marked in the source as {|MIG0004:…|}.
/// </summary>
public static class Verifier
{
    internal static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(FluentMigrator.Migration).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(FluentMigrator.Builders.Rename.IRenameExpressionRoot).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(FluentMigrator.Postgres.PostgresExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Dapper.SqlMapper).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Migrator.Authoring.Change).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly.Location),
    ];

    private static readonly ReferenceAssemblies Local = new("net10.0-local");

    /// <summary>A rule has one descriptor for FluentMigrator and one for EF Core under the same id: a
    /// {|MIGnnnn:…|} mark checks the id and the place, whichever descriptor reported it.</summary>
    private const MarkupOptions SameIdTwice = MarkupOptions.UseFirstDescriptor;

    public static Task AnalyzeAsync<TAnalyzer>(string source, string? schemaFile = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source, ReferenceAssemblies = Local, MarkupOptions = SameIdTwice };
        Configure(test.TestState, schemaFile);
        return test.RunAsync();
    }

    /// <summary>Two files: the second holds constants the first uses (constants from another file).</summary>
    public static Task AnalyzeWithOtherFileAsync<TAnalyzer>(string source, string otherFile)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { ReferenceAssemblies = Local, MarkupOptions = SameIdTwice };
        test.TestState.Sources.Add(("Migration.cs", source));
        test.TestState.Sources.Add(("Names.cs", otherFile));
        Configure(test.TestState, null);
        return test.RunAsync();
    }

    public static Task FixAsync<TAnalyzer, TFix>(string source, string fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> { TestCode = source, FixedCode = fixedSource, ReferenceAssemblies = Local, MarkupOptions = SameIdTwice };
        Configure(test.TestState, null);
        Configure(test.FixedState, null);
        return test.RunAsync();
    }

    private static void Configure(SolutionState state, string? schemaFile)
    {
        state.AdditionalReferences.AddRange(References);
        if (schemaFile is not null)
        {
            state.AdditionalFiles.Add(("migrator-schema.txt", schemaFile));
        }
    }
}
