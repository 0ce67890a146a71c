using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0004 / MIG0005: <c>Rename.Column</c> or <c>Rename.Table</c> in a plain FluentMigrator migration or in a
    /// change's Expand phase. The app version still running uses the old name and fails the moment it runs;
    /// use Migrator's RenameColumn / RenameTable operation (code fix for columns in a change).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RenameInMigrationAnalyzer : MigrationAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.RenameInMigration,
            "Rename.Column breaks the app version that still uses the old name; use Migrator's RenameColumn operation (expand, sync trigger, backfill, contract)");

        public static readonly DiagnosticDescriptor TableRule = Descriptor(
            RuleIds.RenameTable,
            "Rename.Table breaks the app version that still uses the old name; use Migrator's RenameTable operation (the old name stays as a view until contract)");

        public static readonly DiagnosticDescriptor EfRule = Descriptor(
            RuleIds.RenameInMigration,
            "migrationBuilder.RenameColumn breaks the app version that still uses the old name; mark the migration [AppVersion(\"x.y.z\")] so Migrator runs it in phases (new column, sync trigger, backfill, contract)");

        public static readonly DiagnosticDescriptor EfTableRule = Descriptor(
            RuleIds.RenameTable,
            "migrationBuilder.RenameTable breaks the app version that still uses the old name; mark the migration [AppVersion(\"x.y.z\")] so Migrator runs it in phases (the old name stays as a view until contract)");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, TableRule, EfRule, EfTableRule);

        protected override bool HandlesEfCore => true;

        protected override void AnalyzeEf(EfMigrationCall call)
        {
            if (call.Name == "RenameColumn")
            {
                call.Report(EfRule);
            }
            else if (call.Name == "RenameTable")
            {
                call.Report(EfTableRule);
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
                if (chain.Root != "Rename")
                {
                    continue;
                }

                if (chain.First.TargetMethod.Name == "Column")
                {
                    body.Report(Rule, chain.Last.Syntax);
                }
                else if (chain.First.TargetMethod.Name == "Table")
                {
                    body.Report(TableRule, chain.Last.Syntax);
                }
            }
        }
    }
}
