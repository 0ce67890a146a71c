using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0041: <c>Delete.Column/Table/Index/ForeignKey/…</c> in a plain FluentMigrator migration or a change's
    /// Expand phase: the version still running breaks at once. In a change, the code fix moves it to Contract().
    /// MIG0007: <c>Alter.Column(…).As…()</c> there changes a column's type in place.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DestructiveInMigrationAnalyzer : MigrationAnalyzer
    {
        private static readonly HashSet<string> Destructive = new HashSet<string>
        {
            "Column", "Table", "Index", "ForeignKey", "Schema", "UniqueConstraint", "PrimaryKey", "Sequence", "DefaultConstraint", "Constraint",
        };

        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.DestructiveInExpand,
            "Delete.{0} runs while the previous app version is still live and breaks it; {1}");

        public static readonly DiagnosticDescriptor TypeRule = Descriptor(
            RuleIds.ChangeColumnType,
            "Alter.Column changes the type of {0} in place: a table rewrite under lock, and the running version may not map it; use Migrator's ChangeColumnType operation");

        public static readonly DiagnosticDescriptor EfRule = Descriptor(
            RuleIds.DestructiveInExpand,
            "migrationBuilder.{0} runs while the previous app version is still live and breaks it; mark the migration [AppVersion(\"x.y.z\")] so Migrator drops it at contract, once no live version maps it");

        public static readonly DiagnosticDescriptor EfTypeRule = Descriptor(
            RuleIds.ChangeColumnType,
            "migrationBuilder.AlterColumn changes the type of {0} in place: a rewrite under lock, and the running version reads the old type; mark the migration [AppVersion(\"x.y.z\")] so Migrator changes it through a shadow column");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, TypeRule, EfRule, EfTypeRule);

        protected override bool HandlesEfCore => true;

        /// <summary>EF Core: DropColumn, DropTable, DropIndex, DropForeignKey … (MIG0041) and an AlterColumn
        /// whose type differs from its oldType (MIG0007).</summary>
        protected override void AnalyzeEf(EfMigrationCall call)
        {
            if (call.Name.StartsWith("Drop", System.StringComparison.Ordinal))
            {
                call.Report(EfRule, call.Name);
            }
            else if (call.Name == "AlterColumn" && call.Text("type") is { } type && call.Text("oldType") is { } oldType
                     && !string.Equals(type, oldType, System.StringComparison.OrdinalIgnoreCase))
            {
                call.Report(EfTypeRule, $"{call.Text("table")}.{call.Text("name")} from {oldType} to {type}");
            }
        }

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.RunsBesideOldVersion(body.Part))
            {
                return;
            }

            foreach (var chain in body.Chains)
            {
                string first = chain.First.TargetMethod.Name;
                if (chain.Root == "Delete" && Destructive.Contains(first))
                {
                    body.Report(Rule, chain.Last.Syntax, first, Remedy(first));
                }
                else if (chain.Root == "Alter" && (first == "Column" || chain.Has("AlterColumn")) && ChangesType(chain))
                {
                    body.Report(TypeRule, chain.Last.Syntax, chain.Argument("Column") ?? chain.Argument("AlterColumn") ?? "the column");
                }
            }
        }

        /// <summary>What to write instead, for the construct deleted.</summary>
        private static string Remedy(string deleted) => deleted switch
        {
            "Column" => "drop it in a change's Contract(), or with the DropColumn operation",
            "Table" => "drop it in a change's Contract(), or with the DropTable operation",
            "Index" => "drop it in a change's Contract(), or with the DropIndex operation (CONCURRENTLY)",
            "ForeignKey" or "UniqueConstraint" or "PrimaryKey" or "Constraint" or "DefaultConstraint" => "drop the constraint in a change's Contract(), once no live version relies on it",
            "Schema" => "drop it in a change's Contract(), once no live version uses anything in it",
            _ => "drop it in a change's Contract()",
        };

        private static bool ChangesType(FluentChain chain)
        {
            foreach (var call in chain.Calls)
            {
                if (call.TargetMethod.Name.StartsWith("As", System.StringComparison.Ordinal) && call.TargetMethod.Name != "AsConcurrently")
                {
                    return true;
                }
            }

            return false;
        }
    }
}
