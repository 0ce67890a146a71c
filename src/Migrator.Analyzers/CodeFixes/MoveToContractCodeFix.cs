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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Text;

namespace Migrator.Analyzers.CodeFixes
{
    /// <summary>MIG0041: moves a destructive statement (Delete.Column …) from a change's Expand() to its Contract(),
    /// which runs only once no live app version needs what it drops. A chain split over locals moves whole: the
    /// locals' declarations and every statement that uses them go together, in their order. Fix All moves every
    /// flagged chain of a document in one pass (so `dotnet format --diagnostics MIG0041` applies it).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveToContractCodeFix)), Shared]
    public sealed class MoveToContractCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.DestructiveInExpand);

        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
                await MoveAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken).ConfigureAwait(false));

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
            if (node is null || ChangeSyntax.InExpand(node) is null)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Move to Contract()", cancellation => MoveAsync(context.Document, new[] { context.Span }, cancellation), nameof(MoveToContractCodeFix)),
                context.Diagnostics);
        }

        private static async Task<Document> MoveAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellation)
        {
            var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            // What moves, per class: whole statements (with a split chain's locals), or Expand's expression body.
            var moves = new Dictionary<ClassDeclarationSyntax, (MethodDeclarationSyntax Method, List<SyntaxNode> Nodes)>();
            foreach (var span in spans)
            {
                var node = root.FindNode(span, getInnermostNodeForTie: true);
                if (ChangeSyntax.InExpand(node) is not { } place)
                {
                    continue;
                }

                var type = place.Method.FirstAncestorOrSelf<ClassDeclarationSyntax>()!;
                if (!moves.TryGetValue(type, out var move))
                {
                    move = moves[type] = (place.Method, new List<SyntaxNode>());
                }

                IEnumerable<SyntaxNode> nodes = place.Statement is StatementSyntax statement && place.Method.Body is { } body
                    ? ChangeSyntax.ChainStatements(body, statement)
                    : new[] { place.Statement };
                move.Nodes.AddRange(nodes.Where(n => !move.Nodes.Contains(n)));
            }

            string newline = root.ToFullString().Contains("\r\n") ? "\r\n" : "\n";
            var newRoot = root.TrackNodes(moves.Keys);
            foreach (var pair in moves)
            {
                var type = pair.Key;
                var (method, nodes) = pair.Value;
                var ordered = nodes.OrderBy(n => n.SpanStart).ToList();
                var statements = ordered.Select(n => ChangeSyntax.AsStatement(n)
                    .WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(newline))).ToArray();
                var updated = Remove(type, method, ordered);
                var contract = updated.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.ValueText == "Contract");
                var created = SyntaxFactory.MethodDeclaration(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.VoidKeyword)), "Contract")
                    .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.ProtectedKeyword), SyntaxFactory.Token(SyntaxKind.OverrideKeyword)))
                    .WithBody(SyntaxFactory.Block(statements));
                if (contract is null)
                {
                    updated = updated.AddMembers(created);
                }
                else
                {
                    foreach (var statement in statements)
                    {
                        var current = updated.Members.OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText == "Contract");
                        updated = ChangeSyntax.AppendTo(updated, current, statement, created);
                    }
                }

                newRoot = newRoot.ReplaceNode(newRoot.GetCurrentNode(type)!, updated.WithAdditionalAnnotations(Formatter.Annotation));
            }

            return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellation).ConfigureAwait(false);
        }

        /// <summary>The class with <paramref name="nodes"/> removed from Expand(), and Expand() removed when nothing is left in it.</summary>
        private static ClassDeclarationSyntax Remove(ClassDeclarationSyntax type, MethodDeclarationSyntax method, List<SyntaxNode> nodes)
        {
            if (method.ExpressionBody is not null || method.Body!.Statements.All(s => nodes.Contains(s)))
            {
                return type.RemoveNode(method, SyntaxRemoveOptions.KeepNoTrivia)!;
            }

            return type.RemoveNodes(nodes, SyntaxRemoveOptions.KeepNoTrivia)!;
        }
    }
}
