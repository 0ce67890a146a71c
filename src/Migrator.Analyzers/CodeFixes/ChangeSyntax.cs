using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Migrator.Analyzers.CodeFixes
{
    /// <summary>Syntax edits the code fixes share: moving a statement out of a change's Expand() into its
    /// constructor or its Contract().</summary>
    internal static class ChangeSyntax
    {
        /// <summary>The outermost call of the fluent chain a diagnostic's span is in (<c>a.B(…).C(…)</c>), or null.</summary>
        public static InvocationExpressionSyntax? OutermostCall(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            var invocation = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            while (invocation?.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax outer })
            {
                invocation = outer;
            }

            return invocation;
        }

        /// <summary>The statement holding <paramref name="node"/> inside Expand(), or the expression body of Expand().</summary>
        public static (MethodDeclarationSyntax Method, SyntaxNode Statement)? InExpand(SyntaxNode node)
        {
            var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (method is null || method.Identifier.ValueText != "Expand")
            {
                return null;
            }

            if (method.ExpressionBody is { } arrow)
            {
                return (method, arrow.Expression);
            }

            var statement = node.FirstAncestorOrSelf<StatementSyntax>();
            return statement is null || statement.Parent != method.Body ? null : (method, statement);
        }

        /// <summary>The class with <paramref name="statement"/> removed from Expand() (and Expand() removed when it is left empty).</summary>
        public static ClassDeclarationSyntax RemoveFromExpand(ClassDeclarationSyntax type, MethodDeclarationSyntax method, SyntaxNode statement)
        {
            var current = type.DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText == method.Identifier.ValueText && m.SpanStart == method.SpanStart);
            if (current.ExpressionBody is not null || current.Body!.Statements.Count == 1)
            {
                return type.RemoveNode(current, SyntaxRemoveOptions.KeepNoTrivia)!;
            }

            var target = current.Body.Statements.First(s => s.SpanStart == statement.SpanStart);
            return type.RemoveNode(target, SyntaxRemoveOptions.KeepNoTrivia)!;
        }

        /// <summary>Adds <paramref name="statement"/> to the end of a method or constructor body (creating it if needed).</summary>
        public static ClassDeclarationSyntax AppendTo(ClassDeclarationSyntax type, BaseMethodDeclarationSyntax? existing, StatementSyntax statement, BaseMethodDeclarationSyntax created)
        {
            if (existing is null)
            {
                var anchor = type.Members.FirstOrDefault(m => m is MethodDeclarationSyntax);
                return anchor is null
                    ? type.AddMembers(created)
                    : type.InsertNodesBefore(anchor, new[] { created });
            }

            BaseMethodDeclarationSyntax updated = existing.ExpressionBody is { } arrow
                ? existing.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(arrow.Expression), statement))
                : existing.WithBody(existing.Body!.AddStatements(statement));
            return type.ReplaceNode(existing, updated);
        }

        /// <summary>
        /// The statements of <paramref name="body"/> that make one fluent chain with <paramref name="statement"/>:
        /// a chain split over locals (<c>var d = Delete.Column("kind"); d.FromTable("orders");</c>) is the
        /// declaration of each local it uses and every statement that uses them, transitively, in body order.
        /// </summary>
        public static HashSet<StatementSyntax> ChainStatements(BlockSyntax body, StatementSyntax statement)
        {
            var declared = new Dictionary<string, StatementSyntax>();
            foreach (var declaration in body.Statements.OfType<LocalDeclarationStatementSyntax>())
            {
                foreach (var variable in declaration.Declaration.Variables)
                {
                    declared[variable.Identifier.ValueText] = declaration;
                }
            }

            var chain = new HashSet<StatementSyntax>();
            var pending = new Stack<StatementSyntax>();
            var top = statement.Parent == body ? statement : statement.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == body);
            if (top is null)
            {
                return chain;
            }

            pending.Push(top);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (!chain.Add(current))
                {
                    continue;
                }

                var locals = new HashSet<string>(current.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText).Where(declared.ContainsKey));
                if (current is LocalDeclarationStatementSyntax own)
                {
                    locals.UnionWith(own.Declaration.Variables.Select(v => v.Identifier.ValueText));
                }

                foreach (string local in locals)
                {
                    pending.Push(declared[local]);
                    foreach (var user in body.Statements.Where(s => s.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == local)))
                    {
                        pending.Push(user);
                    }
                }
            }

            return chain;
        }

        public static StatementSyntax AsStatement(SyntaxNode node) =>
            node is StatementSyntax statement ? statement.WithoutTrivia() : SyntaxFactory.ExpressionStatement((ExpressionSyntax)node.WithoutTrivia());
    }
}
