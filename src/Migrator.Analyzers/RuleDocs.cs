using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Migrator.Analyzers
{
    /// <summary>
    /// Where a diagnostic's help link points: the rule's page under <see cref="RuleInfo.DefaultDocsBaseUrl"/>,
    /// or under the project's <c>MigratorRuleDocsUrl</c> MSBuild property (the analyzer package makes it visible
    /// to the compiler; <c>build_property.MigratorRuleDocsUrl</c> in a .globalconfig works too), e.g. a fork's
    /// or an internal mirror's docs/rules/.
    /// </summary>
    public static class RuleDocs
    {
        public const string Property = "build_property.MigratorRuleDocsUrl";

        private static readonly ConcurrentDictionary<(string Id, string Url), DiagnosticDescriptor> Retargeted =
            new ConcurrentDictionary<(string Id, string Url), DiagnosticDescriptor>();

        /// <summary>The configured base URL, or null for the default.</summary>
        public static string? BaseUrl(AnalyzerOptions options) =>
            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(Property, out string? url) && !string.IsNullOrWhiteSpace(url)
                && (url.StartsWith("https://", System.StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase))
                ? url.Trim()
                : null;

        /// <summary><paramref name="descriptor"/> with its help link under <paramref name="baseUrl"/> (itself when null).</summary>
        public static DiagnosticDescriptor For(DiagnosticDescriptor descriptor, string? baseUrl) =>
            baseUrl is null
                ? descriptor
                : Retargeted.GetOrAdd((descriptor.Id, baseUrl), key => new DiagnosticDescriptor(
                    descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity,
                    descriptor.IsEnabledByDefault, descriptor.Description, RuleInfo.DocsUrl(key.Id, key.Url), new string[0]));

        public static DiagnosticDescriptor For(DiagnosticDescriptor descriptor, AnalyzerOptions options) => For(descriptor, BaseUrl(options));
    }
}
