using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
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
                // Nothing to judge without FluentMigrator; and operation trees are built only for the
                // bodies of migration types, not for every method of the project.
                if (start.Compilation.GetTypeByMetadataName("FluentMigrator.MigrationBase") is null)
                {
                    return;
                }

                start.RegisterSymbolStartAction(
                    type =>
                    {
                        if (!MigrationParts.IsMigration((INamedTypeSymbol)type.Symbol))
                        {
                            return;
                        }

                        type.RegisterOperationBlockAction(block =>
                        {
                            var part = MigrationParts.Of(block.OwningSymbol);
                            if (part == MigrationPart.None)
                            {
                                return;
                            }

                            foreach (var body in block.OperationBlocks)
                            {
                                Analyze(new MigrationBody(block, part, body, FluentChain.Collect(body)));
                            }
                        });
                    },
                    SymbolKind.NamedType);
            });
        }

        protected abstract void Analyze(MigrationBody body);

        /// <summary>A descriptor from the shared rule catalog.</summary>
        protected static DiagnosticDescriptor Descriptor(string id, string message, DiagnosticSeverity severity = DiagnosticSeverity.Warning)
        {
            var info = RuleInfo.Get(id);
            return new DiagnosticDescriptor(id, info.Title, message, "Migrations", severity, isEnabledByDefault: true, helpLinkUri: info.HelpUri);
        }
    }

    /// <summary>One method body of migration code, with its fluent chains.</summary>
    public sealed class MigrationBody
    {
        public MigrationBody(OperationBlockAnalysisContext context, MigrationPart part, IOperation body, IReadOnlyList<FluentChain> chains)
        {
            Context = context;
            Part = part;
            Body = body;
            Chains = chains;
        }

        public OperationBlockAnalysisContext Context { get; }

        public MigrationPart Part { get; }

        public IOperation Body { get; }

        public IReadOnlyList<FluentChain> Chains { get; }

        /// <summary>Tables this body creates: changes to them lock nothing anyone uses.</summary>
        public bool Creates(string? table) =>
            table is not null && Chains.Any(c => c.Root == "Create" && c.First.TargetMethod.Name == "Table" && c.Argument("Table") == table);

        public void Report(DiagnosticDescriptor rule, SyntaxNode node, params object[] args) =>
            Context.ReportDiagnostic(Diagnostic.Create(rule, node.GetLocation(), args));
    }
}
