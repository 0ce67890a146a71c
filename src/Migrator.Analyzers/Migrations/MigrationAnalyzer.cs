using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Migrator.Analyzers.Migrations
{
    /// <summary>Base of the analyzers that judge migration code: runs once per method body of a FluentMigrator
    /// migration or Migrator change with the fluent chains found in it.</summary>
    public abstract class MigrationAnalyzer : DiagnosticAnalyzer
    {
        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // Nothing to judge without FluentMigrator. Method bodies are picked by syntax first and only the
                // ones of migration types get an operation tree: symbol-start actions on every type, measured,
                // cost more build time than all the rules together (docs/benchmarks.md).
                if (start.Compilation.GetTypeByMetadataName("FluentMigrator.MigrationBase") is not null)
                {
                    start.RegisterSyntaxNodeAction(Analyze, SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration);
                }

                // EF Core migrations: only the Up methods of types deriving from EF's Migration, and only for
                // the rules that judge them.
                if (HandlesEfCore && start.Compilation.GetTypeByMetadataName(EfMigrationCall.MigrationType) is { } efMigration)
                {
                    start.RegisterSyntaxNodeAction(c => AnalyzeEfCore(c, efMigration), SyntaxKind.MethodDeclaration);
                }
            });
        }

        /// <summary>True for a rule that also judges EF Core migrations (<see cref="AnalyzeEf"/>).</summary>
        protected virtual bool HandlesEfCore => false;

        /// <summary>Judges one <c>migrationBuilder</c> call of an EF Core migration's <c>Up</c>.</summary>
        protected virtual void AnalyzeEf(EfMigrationCall call)
        {
        }

        private void AnalyzeEfCore(SyntaxNodeAnalysisContext context, INamedTypeSymbol efMigration)
        {
            var method = (MethodDeclarationSyntax)context.Node;
            if (method.Identifier.Text != "Up" || method.Parent is not ClassDeclarationSyntax { BaseList: not null })
            {
                return;
            }

            foreach (var call in EfMigrationCall.In(method, context.SemanticModel, efMigration, context.ReportDiagnostic, RuleDocs.BaseUrl(context.Options), context.CancellationToken))
            {
                AnalyzeEf(call);
            }
        }

        private void Analyze(SyntaxNodeAnalysisContext context)
        {
            var member = (BaseMethodDeclarationSyntax)context.Node;
            if (member.Parent is not ClassDeclarationSyntax { BaseList: not null })
            {
                return;
            }

            var part = MigrationParts.Of(context.ContainingSymbol);
            if (part == MigrationPart.None && member is MethodDeclarationSyntax helper)
            {
                part = CalledFrom(helper, context.ContainingSymbol);
            }

            SyntaxNode? body = (SyntaxNode?)member.Body ?? member.ExpressionBody?.Expression;
            if (part == MigrationPart.None || body is null || Read(body, context.SemanticModel, context.CancellationToken) is not { } read)
            {
                return;
            }

            string? docs = RuleDocs.BaseUrl(context.Options);
            Analyze(new MigrationBody(d => context.ReportDiagnostic(d), part, read.Operation, read.Chains) { DocsUrl = docs });
        }

        /// <summary>
        /// A body's operation tree and fluent chains, read once for all the migration rules (each rule is its own
        /// analyzer and sees every body): keyed by the body's syntax node, which lives as long as its tree.
        /// </summary>
        private static readonly ConditionalWeakTable<SyntaxNode, ReadBody> Bodies = new ConditionalWeakTable<SyntaxNode, ReadBody>();

        private static ReadBody? Read(SyntaxNode body, SemanticModel model, System.Threading.CancellationToken cancellation)
        {
            if (Bodies.TryGetValue(body, out var known))
            {
                return known;
            }

            if (model.GetOperation(body, cancellation) is not { } operation)
            {
                return null;
            }

            var read = new ReadBody(operation, FluentChain.Collect(operation));
            return Bodies.GetValue(body, _ => read);
        }

        private sealed class ReadBody
        {
            public ReadBody(IOperation operation, IReadOnlyList<FluentChain> chains)
            {
                Operation = operation;
                Chains = chains;
            }

            public IOperation Operation { get; }

            public IReadOnlyList<FluentChain> Chains { get; }
        }

        /// <summary>
        /// For a helper method of a migration or change (not Up/Down/Expand/Contract itself): the part of the
        /// first method of the same class that calls it by name (Up, Expand or a constructor, Contract), so the
        /// statements a helper holds are judged where they run. Called from none: <see cref="MigrationPart.None"/>.
        /// </summary>
        private static MigrationPart CalledFrom(MethodDeclarationSyntax helper, ISymbol? symbol)
        {
            if (symbol is not IMethodSymbol method || method.ContainingType is not { } type || !MigrationParts.IsMigration(type) || helper.Parent is not ClassDeclarationSyntax owner)
            {
                return MigrationPart.None;
            }

            string name = helper.Identifier.ValueText;
            foreach (var caller in owner.Members.OfType<BaseMethodDeclarationSyntax>())
            {
                if (caller == helper || !caller.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => Called(i) == name))
                {
                    continue;
                }

                var callerSymbol = type.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m =>
                    m.DeclaringSyntaxReferences.Any(r => r.Span == caller.Span && r.SyntaxTree == caller.SyntaxTree));
                var part = MigrationParts.Of(callerSymbol);
                if (part != MigrationPart.None)
                {
                    return part;
                }
            }

            return MigrationPart.None;
        }

        private static string? Called(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            IdentifierNameSyntax name => name.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText,
            _ => null,
        };

        protected abstract void Analyze(MigrationBody body);

        /// <summary>A descriptor from the shared rule catalog.</summary>
        protected static DiagnosticDescriptor Descriptor(string id, string message, DiagnosticSeverity severity = DiagnosticSeverity.Warning)
        {
            var info = RuleInfo.Get(id);
            return new DiagnosticDescriptor(id, info.Title, message, "Migrations", severity, isEnabledByDefault: true, description: info.Description, helpLinkUri: info.HelpUri);
        }
    }

    /// <summary>One method body of migration code, with its fluent chains.</summary>
    public sealed class MigrationBody
    {
        public MigrationBody(System.Action<Diagnostic> report, MigrationPart part, IOperation body, IReadOnlyList<FluentChain> chains)
        {
            _report = report;
            Part = part;
            Body = body;
            Chains = chains;
        }

        private readonly System.Action<Diagnostic> _report;

        public MigrationPart Part { get; }

        public IOperation Body { get; }

        public IReadOnlyList<FluentChain> Chains { get; }

        /// <summary>Tables this body creates: changes to them lock nothing anyone uses.</summary>
        public bool Creates(string? table) =>
            table is not null && Chains.Any(c => c.Root == "Create" && c.First.TargetMethod.Name == "Table" && c.Argument("Table") == table);

        /// <summary>The configured base of the rule pages (MigratorRuleDocsUrl), or null for the default.</summary>
        public string? DocsUrl { get; set; }

        public void Report(DiagnosticDescriptor rule, SyntaxNode node, params object[] args) =>
            _report(Diagnostic.Create(RuleDocs.For(rule, DocsUrl), node.GetLocation(), args));
    }
}
