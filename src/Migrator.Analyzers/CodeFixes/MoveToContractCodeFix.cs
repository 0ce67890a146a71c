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
    /// <summary>MIG0041: moves a destructive statement (Delete.Column …) from a change's Expand() to its Contract(),
    /// which runs only once no live app version needs what it drops.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveToContractCodeFix)), Shared]
    public sealed class MoveToContractCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.DestructiveInExpand);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
            if (node is null || ChangeSyntax.InExpand(node) is not { } place)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Move to Contract()",
                    async cancellation =>
                    {
                        var type = place.Method.FirstAncestorOrSelf<ClassDeclarationSyntax>()!;
                        var statement = ChangeSyntax.AsStatement(place.Statement);
                        var updated = ChangeSyntax.RemoveFromExpand(type, place.Method, place.Statement);
                        var contract = updated.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.ValueText == "Contract");
                        var created = SyntaxFactory.MethodDeclaration(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.VoidKeyword)), "Contract")
                            .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.ProtectedKeyword), SyntaxFactory.Token(SyntaxKind.OverrideKeyword)))
                            .WithBody(SyntaxFactory.Block(statement));
                        if (contract is null)
                        {
                            updated = updated.AddMembers(created);
                        }
                        else
                        {
                            updated = ChangeSyntax.AppendTo(updated, contract, statement, created);
                        }

                        var newRoot = root!.ReplaceNode(type, updated.WithAdditionalAnnotations(Formatter.Annotation));
                        return await Formatter.FormatAsync(context.Document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellation).ConfigureAwait(false);
                    },
                    nameof(MoveToContractCodeFix)),
                context.Diagnostics);
        }
    }
}
