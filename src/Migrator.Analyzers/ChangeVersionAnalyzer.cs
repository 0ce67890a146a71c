using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0040: a Migrator change with no <c>[Change(id, description, AppVersion = …)]</c>, no AppVersion, or an
    /// AppVersion / ContractAfter that is not SemVer: nothing ties its contract to the retirement of the app
    /// versions that need the old shape.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ChangeVersionAnalyzer : DiagnosticAnalyzer
    {
        private static readonly Regex SemVer = new Regex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$");

        public static readonly DiagnosticDescriptor Rule = new DiagnosticDescriptor(
            RuleIds.ChangeWithoutAppVersion,
            RuleInfo.Get(RuleIds.ChangeWithoutAppVersion).Title,
            "Change {0} {1}: its contract would be tied to no app version; give it [Change(id, \"description\", AppVersion = \"x.y.z\")] with the SemVer of the release that first needs it",
            "Migrations",
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: RuleInfo.Get(RuleIds.ChangeWithoutAppVersion).Description,
            helpLinkUri: RuleInfo.Get(RuleIds.ChangeWithoutAppVersion).HelpUri);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
        }

        private static void Analyze(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.IsAbstract || !MigrationParts.IsChange(type) || MigrationParts.IsNamed(type, "Migrator.Authoring.Change"))
            {
                return;
            }

            var attribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "ChangeAttribute");
            string? problem;
            if (attribute is null)
            {
                problem = "has no [Change(id, description, AppVersion = …)] attribute";
            }
            else
            {
                var named = attribute.NamedArguments.ToDictionary(a => a.Key, a => a.Value.Value as string);
                named.TryGetValue("AppVersion", out string? appVersion);
                named.TryGetValue("ContractAfter", out string? contractAfter);
                problem = string.IsNullOrWhiteSpace(appVersion) ? "has no AppVersion"
                    : !SemVer.IsMatch(appVersion) ? $"has AppVersion \"{appVersion}\", which is not SemVer (e.g. 2.0.0)"
                    : contractAfter is not null && !SemVer.IsMatch(contractAfter) ? $"has ContractAfter \"{contractAfter}\", which is not SemVer"
                    : null;
            }

            if (problem is not null)
            {
                var location = attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? type.Locations.FirstOrDefault();
                context.ReportDiagnostic(Diagnostic.Create(RuleDocs.For(Rule, context.Options), location, type.Name, problem));
            }
        }
    }
}
