using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0021: <c>Create.Index</c> on an existing table without <c>.WithOptions().AsConcurrently()</c>
    /// (PostgreSQL) or <c>.WithOptions().Online()</c> (SQL Server): writes wait for the whole build. The code fix
    /// adds AsConcurrently() and, in a plain migration, makes it non-transactional (CONCURRENTLY cannot run in a
    /// transaction). Migrator's CreateIndex operation always builds concurrently.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BlockingIndexAnalyzer : MigrationAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.BlockingIndexBuild,
            "Index {0} on {1} is built without CONCURRENTLY (PostgreSQL) or ONLINE (SQL Server): writes to the table wait for the whole build; add .WithOptions().AsConcurrently() (using FluentMigrator.Postgres) and, in a plain migration, [Migration(…, TransactionBehavior.None)] with the index alone in it, or use Migrator's CreateIndex operation");

        public static readonly DiagnosticDescriptor EfRule = Descriptor(
            RuleIds.BlockingIndexBuild,
            "migrationBuilder.CreateIndex on {0} blocks writes to the table for the whole build; add .Annotation(\"Npgsql:CreatedConcurrently\", true) and run that migration outside a transaction (SQL Server: .Annotation(\"SqlServer:Online\", true)), or mark the migration [AppVersion(\"x.y.z\")] so Migrator builds it CONCURRENTLY");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, EfRule);

        protected override bool HandlesEfCore => true;

        /// <summary>EF Core: CreateIndex on a table the migration does not create, without EF's concurrent
        /// (PostgreSQL) or online (SQL Server) annotation.</summary>
        protected override void AnalyzeEf(EfMigrationCall call)
        {
            if (call.Name == "CreateIndex" && call.Text("table") is { } table && !call.BuiltOnline && !call.CreatesTable(table))
            {
                call.Report(EfRule, table);
            }
        }

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.IsForward(body.Part))
            {
                return;
            }

            foreach (var chain in body.Chains)
            {
                string? table = chain.Argument("OnTable");
                if (chain.Root == "Create" && chain.First.TargetMethod.Name == "Index" && !chain.Has("AsConcurrently") && !chain.Has("Online") && !body.Creates(table))
                {
                    body.Report(Rule, chain.Last.Syntax, chain.Argument("Index") ?? "(unnamed)", table ?? "its table");
                }
            }
        }
    }
}
