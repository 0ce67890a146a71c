using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0004: <c>Rename.Column</c> or <c>Rename.Table</c> in a FluentMigrator migration or in a change's
    /// Expand phase. The app version still running uses the old name and fails the moment it runs; use
    /// Migrator's RenameColumn operation, which keeps both names in sync until contract.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RenameInMigrationAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIds.RenameInMigration,
            "Rename breaks the app version still running",
            "Rename.{0} breaks the app version that still uses the old name; use Migrator's RenameColumn operation (expand, sync trigger, backfill, contract)",
            "Compatibility",
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: "docs/rules/MIG0004.md");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var renameRoot = start.Compilation.GetTypeByMetadataName("FluentMigrator.Builders.Rename.IRenameExpressionRoot");
                if (renameRoot is null)
                {
                    return;
                }

                start.RegisterOperationAction(c => Analyze(c, renameRoot), OperationKind.Invocation);
            });
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol renameRoot)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if ((method.Name != "Column" && method.Name != "Table")
                || !SymbolEqualityComparer.Default.Equals(method.ContainingType, renameRoot))
            {
                return;
            }

            // A rename in a change's Contract phase runs once no live version needs the old name.
            if (context.ContainingSymbol is IMethodSymbol { Name: "Contract", IsOverride: true })
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), method.Name));
        }
    }
}
