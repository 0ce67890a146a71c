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
    /// MIG0004: rewrites <c>Rename.Column("a").OnTable("t").To("b")</c> in a change's Expand() into Migrator's
    /// operation <c>RenameColumn("t", "a", "b")</c>, declared in the change's constructor.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameColumnCodeFix)), Shared]
    public sealed class RenameColumnCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.RenameInMigration);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
            if (node is null || ChangeSyntax.InExpand(node) is not { } place)
            {
                return;
            }

            var calls = place.Statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .Where(i => i.Expression is MemberAccessExpressionSyntax)
                .ToDictionary(i => ((MemberAccessExpressionSyntax)i.Expression).Name.Identifier.ValueText, i => i.ArgumentList.Arguments.FirstOrDefault()?.Expression);
            if (!calls.TryGetValue("Column", out var from) || !calls.TryGetValue("OnTable", out var table) || !calls.TryGetValue("To", out var to)
                || from is null || table is null || to is null)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use Migrator's RenameColumn operation",
                    async cancellation =>
                    {
                        var type = place.Method.FirstAncestorOrSelf<ClassDeclarationSyntax>()!;
                        var operation = SyntaxFactory.ParseStatement($"RenameColumn({table}, {from}, {to});");
                        var updated = ChangeSyntax.RemoveFromExpand(type, place.Method, place.Statement);
                        var constructor = updated.Members.OfType<ConstructorDeclarationSyntax>().FirstOrDefault(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword));
                        var created = SyntaxFactory.ConstructorDeclaration(type.Identifier.WithoutTrivia())
                            .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PublicKeyword)))
                            .WithBody(SyntaxFactory.Block(operation));
                        updated = ChangeSyntax.AppendTo(updated, constructor, operation, created).WithAdditionalAnnotations(Formatter.Annotation);
                        var newRoot = root!.ReplaceNode(type, updated);
                        return await Formatter.FormatAsync(context.Document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellation).ConfigureAwait(false);
                    },
                    nameof(RenameColumnCodeFix)),
                context.Diagnostics);
        }
    }
}
