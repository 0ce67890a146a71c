using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0009: a column added to an existing table NOT NULL without a default (FluentMigrator columns are NOT
    /// NULL unless <c>.Nullable()</c>): the statement fails on a non-empty table, and the running version's
    /// INSERTs omit the column. Migrator's AddColumn with <c>nullable: false</c> needs a default or a fill.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RequiredColumnAnalyzer : MigrationAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.AddRequiredColumn,
            "Column {0} is added NOT NULL without a default: it fails on a non-empty table and the running version's INSERTs omit it; add it nullable with a fill (AddColumn(…, nullable: false, fill: …)) or give it a default");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.IsForward(body.Part))
            {
                return;
            }

            foreach (var chain in body.Chains)
            {
                bool adds = (chain.Root == "Alter" && chain.First.TargetMethod.Name == "Table" && chain.Has("AddColumn"))
                    || (chain.Root == "Create" && chain.First.TargetMethod.Name == "Column");
                string? table = chain.Root == "Alter" ? chain.Argument("Table") : chain.Argument("OnTable");
                if (adds && !chain.Has("Nullable") && !chain.Has("WithDefault") && !chain.Has("WithDefaultValue") && !chain.Has("Identity") && !body.Creates(table))
                {
                    body.Report(Rule, chain.Last.Syntax, chain.Argument("AddColumn") ?? chain.Argument("Column") ?? "the column");
                }
            }

            foreach (var invocation in body.Body.DescendantsAndSelf())
            {
                if (invocation is IInvocationOperation { TargetMethod: { Name: "AddColumn" } method } call
                    && MigrationParts.IsChange(method.ContainingType)
                    && Named(call, "nullable") is false && Named(call, "defaultSql") is null && Named(call, "fill") is null)
                {
                    body.Report(Rule, call.Syntax, call.Arguments.Length > 1 && call.Arguments[1].Value.ConstantValue.Value is string c ? c : "the column");
                }
            }
        }

        private static object? Named(IInvocationOperation call, string parameter)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Name == parameter)
                {
                    return argument.ArgumentKind == ArgumentKind.DefaultValue ? (parameter == "nullable" ? (object)true : null) : argument.Value.ConstantValue.Value;
                }
            }

            return null;
        }
    }
}
