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

namespace Migrator.Analyzers.CodeFixes
{
    /// <summary>
    /// MIG0021: adds <c>.WithOptions().AsConcurrently()</c> to a Create.Index chain (and <c>using FluentMigrator.Postgres;</c>).
    /// In a plain FluentMigrator migration it also sets <c>TransactionBehavior.None</c> in its <c>[Migration]</c>
    /// attribute, whatever constructor the attribute uses, because CREATE INDEX CONCURRENTLY cannot run inside a
    /// transaction. When that migration holds other statements, no fix is offered: making them all
    /// non-transactional would be a silent change, so the index belongs in a migration of its own (the
    /// diagnostic's message says so). A Migrator change needs no marking: its executor runs each CONCURRENTLY
    /// statement alone. Fix All applies every fix of a document in one pass.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConcurrentIndexCodeFix)), Shared]
    public sealed class ConcurrentIndexCodeFix : CodeFixProvider
    {
        private const string Title = "Build the index CONCURRENTLY";

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

            context.RegisterCodeFix(
                CodeAction.Create(Title, cancellation => FixAsync(context.Document, new[] { context.Span }, cancellation), nameof(ConcurrentIndexCodeFix)),
                context.Diagnostics);
        }

        /// <summary>The outermost call of the flagged chain, when a fix applies there.</summary>
        private static InvocationExpressionSyntax? Target(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            var invocation = ChangeSyntax.OutermostCall(root, span);
            if (invocation is null)
            {
                return null;
            }

            var type = invocation.FirstAncestorOrSelf<ClassDeclarationSyntax>();
            if (type is null || EfConcurrentIndexCodeFix.IsEfCreateIndex(invocation))
            {
                return null;
            }

            if (MigrationAttribute(type) is not null && HasOtherStatements(invocation))
            {
                return null;
            }

            return invocation;
        }

        private static AttributeSyntax? MigrationAttribute(ClassDeclarationSyntax type) =>
            type.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => a.Name.ToString() is "Migration" or "MigrationAttribute" or "FluentMigrator.Migration" or "FluentMigrator.MigrationAttribute");

        /// <summary>True when the method holding the index has statements that are not part of its chain.</summary>
        private static bool HasOtherStatements(InvocationExpressionSyntax invocation)
        {
            var method = invocation.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>();
            if (method?.Body is not { } body)
            {
                return false;
            }

            var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
            var chain = statement is null ? new HashSet<StatementSyntax>() : ChangeSyntax.ChainStatements(body, statement);
            return body.Statements.Any(s => !chain.Contains(s));
        }

        private static async Task<Document> FixAsync(Document document, IEnumerable<Microsoft.CodeAnalysis.Text.TextSpan> spans, CancellationToken cancellation)
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

            var types = targets.Select(t => t.FirstAncestorOrSelf<ClassDeclarationSyntax>()!).Distinct().ToList();
            var tracked = root.TrackNodes(targets.Cast<SyntaxNode>().Concat(types));
            foreach (var invocation in targets)
            {
                var current = tracked.GetCurrentNode(invocation)!;
                string last = current.Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : "";
                string suffix = last == "OnColumn" ? ".Ascending().WithOptions().AsConcurrently()" : ".WithOptions().AsConcurrently()";
                var replacement = SyntaxFactory.ParseExpression(current.WithoutTrivia().ToFullString() + suffix).WithTriviaFrom(current);
                tracked = tracked.ReplaceNode(current, replacement);
            }

            bool plain = false;
            foreach (var type in types)
            {
                var current = tracked.GetCurrentNode(type)!;
                if (MigrationAttribute(current) is { } attribute)
                {
                    plain = true;
                    tracked = tracked.ReplaceNode(attribute, NonTransactional(attribute));
                }
            }

            if (tracked is CompilationUnitSyntax unit)
            {
                var usings = new List<string> { "FluentMigrator.Postgres" };
                if (plain)
                {
                    usings.Insert(0, "FluentMigrator");
                }

                foreach (string name in usings.Where(n => !unit.Usings.Any(u => u.Name?.ToString() == n)))
                {
                    unit = unit.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).WithAdditionalAnnotations(Formatter.Annotation));
                }

                tracked = unit;
            }

            return await Formatter.FormatAsync(document.WithSyntaxRoot(tracked), Formatter.Annotation, cancellationToken: cancellation).ConfigureAwait(false);
        }

        /// <summary>The attribute with TransactionBehavior.None: replacing a TransactionBehavior argument, else
        /// inserted after the version (positional) or added by name (when the arguments are named).</summary>
        private static AttributeSyntax NonTransactional(AttributeSyntax attribute)
        {
            var none = SyntaxFactory.ParseExpression("TransactionBehavior.None");
            var arguments = attribute.ArgumentList?.Arguments ?? default;
            for (int i = 0; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                if (argument.NameColon?.Name.Identifier.ValueText == "transactionBehavior" || argument.Expression.ToString().Contains("TransactionBehavior."))
                {
                    return attribute.WithArgumentList(attribute.ArgumentList!.WithArguments(arguments.Replace(argument, argument.WithExpression(none))));
                }
            }

            if (arguments.Count == 0)
            {
                return attribute;
            }

            var list = attribute.ArgumentList!;
            var added = arguments[0].NameColon is not null
                ? list.AddArguments(SyntaxFactory.AttributeArgument(null, SyntaxFactory.NameColon("transactionBehavior"), none))
                : list.WithArguments(arguments.Insert(1, SyntaxFactory.AttributeArgument(none)));
            return attribute.WithArgumentList(added);
        }
    }
}
