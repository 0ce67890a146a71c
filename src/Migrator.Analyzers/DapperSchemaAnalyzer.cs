using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Sql;
using Migrator.Analyzers.Usage;

namespace Migrator.Analyzers
{
    /// <summary>
    /// In app code, with migrator-schema.txt (written by `dotnet migrator plan --schema-file`) as an
    /// AdditionalFiles item, every Dapper query's SQL is read with the checker's analyser and compared with
    /// the schema: MIG0111 when it uses a column or table a pending contract removes (naming the change and
    /// the replacement), MIG0110 when it names a table or column that does not exist, MIG0102 when an INSERT
    /// omits a NOT NULL column without a default.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DapperSchemaAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor PendingRemoval = Create(RuleIds.PendingContractRemoves,
            "{0} is removed by the contract of change {1}{2}");

        public static readonly DiagnosticDescriptor Unknown = Create(RuleIds.UnknownSchemaObject,
            "{0} does not exist in the schema; check the name, or regenerate migrator-schema.txt (dotnet migrator plan --schema-file) if a change added it since");

        public static readonly DiagnosticDescriptor InsertOmits = Create(RuleIds.InsertOmitsRequired,
            "INSERT into {0} omits {1}, which is NOT NULL without a default: the INSERT fails; add the column to the INSERT, or give it a default in the change");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(PendingRemoval, Unknown, InsertOmits);

        private static DiagnosticDescriptor Create(string id, string message)
        {
            var info = RuleInfo.Get(id);
            return new DiagnosticDescriptor(id, info.Title, message, "Queries", DiagnosticSeverity.Warning, isEnabledByDefault: true, description: info.Description, helpLinkUri: info.HelpUri);
        }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var file = start.Options.AdditionalFiles.FirstOrDefault(f => f.Path.EndsWith(AppSchema.FileName, StringComparison.OrdinalIgnoreCase));
                var text = file?.GetText(start.CancellationToken)?.ToString();
                if (text is null)
                {
                    return;
                }

                var schema = AppSchema.Parse(text);
                string key = text.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";
                // Invocations and object creations only, filtered by name before any binding: a semantic-model
                // action per document would make the driver compute every document's full semantics.
                start.RegisterSyntaxNodeAction(node => Analyze(node, schema, key), SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression);
            });
        }

        /// <summary>
        /// Analyses by SQL text and schema, kept across compilations: the compiler server and the IDE keep the
        /// analyzer loaded, so a rebuild (or a keystroke) re-reads only SQL that changed. Bounded; cleared when full.
        /// </summary>
        private static readonly ConcurrentDictionary<string, SqlAnalysis> Analyses = new ConcurrentDictionary<string, SqlAnalysis>(StringComparer.Ordinal);

        private const int MaxCached = 20_000;

        private static SqlAnalysis AnalyzeCached(string sql, AppSchema schema, string schemaKey)
        {
            if (Analyses.Count > MaxCached)
            {
                Analyses.Clear();
            }

            return Analyses.GetOrAdd(schemaKey + sql, _ => PgSqlAnalyzer.Analyze(sql, schema));
        }

        private static void Analyze(SyntaxNodeAnalysisContext context, AppSchema schema, string schemaKey)
        {
            if (DapperCallFinder.At(context.Node, context.SemanticModel, describeRows: false) is { Sql: not null } call)
            {
                var analysis = AnalyzeCached(call.Sql, schema, schemaKey);
                var location = call.SqlExpression.GetLocation();
                foreach (var table in analysis.Tables)
                {
                    string key = AppSchema.Key(table.Schema, table.Name);
                    if (schema.Removals.TryGetValue(key, out var removal))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(RuleDocs.For(PendingRemoval, context.Options), location, $"table {table}", removal.ChangeId, Replacement(removal.Replacement)));
                    }
                    else if (!schema.HasTable(table.Schema, table.Name) && !AppSchema.IsSystem(table.Schema, table.Name))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(RuleDocs.For(Unknown, context.Options), location, $"table {table}"));
                    }
                }

                foreach (var column in analysis.Columns.GroupBy(c => (c.Schema, c.Table, c.Column)).Select(g => g.First()))
                {
                    string key = AppSchema.Key(column.Schema, column.Table) + "." + column.Column;
                    if (schema.Removals.TryGetValue(key, out var removal))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(RuleDocs.For(PendingRemoval, context.Options), location, $"column {column.Table}.{column.Column}", removal.ChangeId, Replacement(removal.Replacement)));
                    }
                    else if (schema.HasColumn(column.Schema, column.Table, column.Column) == false)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(RuleDocs.For(Unknown, context.Options), location, $"column {column.Table}.{column.Column}"));
                    }
                }

                if (analysis.Kind == StatementKind.Insert && analysis.InsertsWithoutColumnList.Count == 0)
                {
                    foreach (var target in analysis.Tables.Where(t => t.Written))
                    {
                        var listed = analysis.Columns.Where(c => c.Access == ColumnAccess.Write && c.Table == target.Name).Select(c => c.Column).ToList();
                        var missing = schema.Required(target.Schema, target.Name)
                            .Where(c => !listed.Contains(c) && !schema.Removals.ContainsKey(AppSchema.Key(target.Schema, target.Name) + "." + c))
                            .ToList();
                        if (missing.Count > 0)
                        {
                            context.ReportDiagnostic(Diagnostic.Create(RuleDocs.For(InsertOmits, context.Options), location, target.ToString(), string.Join(", ", missing)));
                        }
                    }
                }
            }
        }

        private static string Replacement(string? replacement) => replacement is null ? "" : $"; use {replacement}";
    }
}
