using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Migrator.Analyzers.CodeFixes
{
    /// <summary>
    /// MIG0021: adds <c>.WithOptions().AsConcurrently()</c> to a Create.Index chain (and <c>using FluentMigrator.Postgres;</c>),
    /// and in a plain FluentMigrator migration marks it <c>TransactionBehavior.None</c>, because CREATE INDEX
    /// CONCURRENTLY cannot run inside a transaction. A Migrator change needs no marking: its executor runs
    /// each CONCURRENTLY statement outside a transaction.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConcurrentIndexCodeFix)), Shared]
    public sealed class ConcurrentIndexCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.BlockingIndexBuild);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var invocation = root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null)
            {
                return;
            }

            while (invocation.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax outer })
            {
                invocation = outer;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Build the index CONCURRENTLY",
                    async cancellation =>
                    {
                        string last = invocation.Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : "";
                        string suffix = last == "OnColumn" ? ".Ascending().WithOptions().AsConcurrently()" : ".WithOptions().AsConcurrently()";
                        var replacement = SyntaxFactory.ParseExpression(invocation.WithoutTrivia().ToFullString() + suffix).WithTriviaFrom(invocation);
                        var type = invocation.FirstAncestorOrSelf<ClassDeclarationSyntax>();
                        SyntaxNode newRoot = root!.TrackNodes(new SyntaxNode[] { invocation, type! });
                        newRoot = newRoot.ReplaceNode(newRoot.GetCurrentNode<SyntaxNode>(invocation)!, replacement);
                        var currentType = (ClassDeclarationSyntax)newRoot.GetCurrentNode<SyntaxNode>(type!)!;
                        var attribute = currentType.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => a.Name.ToString() is "Migration" or "MigrationAttribute");
                        if (attribute is not null && attribute.ArgumentList is { Arguments.Count: 1 } arguments)
                        {
                            newRoot = newRoot.ReplaceNode(attribute, attribute.WithArgumentList(arguments.AddArguments(
                                SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression("TransactionBehavior.None")))));
                        }

                        if (newRoot is CompilationUnitSyntax unit && !unit.Usings.Any(u => u.Name?.ToString() == "FluentMigrator.Postgres"))
                        {
                            newRoot = unit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("FluentMigrator.Postgres")).WithAdditionalAnnotations(Formatter.Annotation));
                        }

                        return await Formatter.FormatAsync(context.Document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellation).ConfigureAwait(false);
                    },
                    nameof(ConcurrentIndexCodeFix)),
                context.Diagnostics);
        }
    }
}
