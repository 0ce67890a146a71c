using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Migrator.Analyzers.CodeFixes
{
    /// <summary>
    /// MIG0021 on an EF Core migration: adds <c>.Annotation("Npgsql:CreatedConcurrently", true)</c> to the
    /// <c>migrationBuilder.CreateIndex(…)</c> call, or <c>.Annotation("SqlServer:Online", true)</c> when the
    /// project uses EF's SQL Server provider and not Npgsql's. Each provider then builds the index without
    /// blocking writes (Npgsql also runs that statement outside the migration's transaction, which
    /// CREATE INDEX CONCURRENTLY needs). Fix All applies every fix of a document in one pass.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EfConcurrentIndexCodeFix)), Shared]
    public sealed class EfConcurrentIndexCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.BlockingIndexBuild);

        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
                await FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken).ConfigureAwait(false));

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || Target(root, context.Span) is null)
            {
                return;
            }

            string annotation = await AnnotationAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
            context.RegisterCodeFix(
                CodeAction.Create($"Build the index without blocking writes ({annotation})", cancellation => FixAsync(context.Document, new[] { context.Span }, cancellation), nameof(EfConcurrentIndexCodeFix)),
                context.Diagnostics);
        }

        /// <summary>True for <c>x.CreateIndex(…)</c>, EF Core's MigrationBuilder call (FluentMigrator's is
        /// <c>Create.Index(…)</c>).</summary>
        internal static bool IsEfCreateIndex(InvocationExpressionSyntax outermost)
        {
            var first = outermost;
            while (first.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax inner })
            {
                first = inner;
            }

            return first.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CreateIndex" };
        }

        /// <summary>The outermost call of the flagged CreateIndex chain.</summary>
        private static InvocationExpressionSyntax? Target(SyntaxNode root, TextSpan span)
        {
            var invocation = ChangeSyntax.OutermostCall(root, span);
            return invocation is not null && IsEfCreateIndex(invocation) ? invocation : null;
        }

        /// <summary>SQL Server's annotation when the project references EF's SQL Server provider and not
        /// Npgsql's; PostgreSQL's otherwise.</summary>
        private static async Task<string> AnnotationAsync(Document document, CancellationToken cancellation)
        {
            var compilation = await document.Project.GetCompilationAsync(cancellation).ConfigureAwait(false);
            var names = compilation?.ReferencedAssemblyNames.Select(a => a.Name).ToImmutableHashSet() ?? ImmutableHashSet<string>.Empty;
            return names.Contains("Microsoft.EntityFrameworkCore.SqlServer") && !names.Contains("Npgsql.EntityFrameworkCore.PostgreSQL")
                ? "SqlServer:Online"
                : "Npgsql:CreatedConcurrently";
        }

        private static async Task<Document> FixAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellation)
        {
            var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var targets = spans.Select(s => Target(root, s)).Where(t => t is not null).Select(t => t!).Distinct().ToList();
            if (targets.Count == 0)
            {
                return document;
            }

            string annotation = await AnnotationAsync(document, cancellation).ConfigureAwait(false);
            var fixedRoot = root.ReplaceNodes(targets, (original, current) =>
                SyntaxFactory.ParseExpression(current.WithoutTrivia().ToFullString() + ".Annotation(\"" + annotation + "\", true)").WithTriviaFrom(current));
            return document.WithSyntaxRoot(fixedRoot);
        }
    }
}
