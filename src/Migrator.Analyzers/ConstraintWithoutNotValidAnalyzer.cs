using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0015: a foreign key added to an existing table (<c>Create.ForeignKey</c>, or <c>.ForeignKey(…)</c> on a
    /// column added with Alter.Table): FluentMigrator has no NOT VALID (PostgreSQL) / WITH NOCHECK (SQL Server),
    /// so both tables are scanned under lock. MIG0018: <c>Create.UniqueConstraint</c> builds its index under lock.
    /// Migrator's AddForeignKey and AddUnique operations do both safely.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ConstraintWithoutNotValidAnalyzer : MigrationAnalyzer
    {
        public static readonly DiagnosticDescriptor ForeignKeyRule = Descriptor(
            RuleIds.ForeignKeyWithoutNotValid,
            "Foreign key on {0} is added without NOT VALID / WITH NOCHECK: both tables are scanned under lock; use Migrator's AddForeignKey operation (NOT VALID at expand, VALIDATE at contract)");

        public static readonly DiagnosticDescriptor UniqueRule = Descriptor(
            RuleIds.AddUnique,
            "Unique constraint on {0} builds its index under lock; use Migrator's AddUnique operation (index built CONCURRENTLY, then ADD CONSTRAINT … USING INDEX)");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ForeignKeyRule, UniqueRule);

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.IsForward(body.Part))
            {
                return;
            }

            foreach (var chain in body.Chains)
            {
                if (chain.Root == "Create" && chain.First.TargetMethod.Name == "ForeignKey")
                {
                    string? table = chain.Argument("FromTable");
                    if (!body.Creates(table))
                    {
                        body.Report(ForeignKeyRule, chain.Last.Syntax, table ?? "the table");
                    }
                }
                else if (chain.Root == "Alter" && chain.Has("AddColumn") && chain.Has("ForeignKey") && !body.Creates(chain.Argument("Table")))
                {
                    body.Report(ForeignKeyRule, chain.Last.Syntax, chain.Argument("Table") ?? "the table");
                }
                else if (chain.Root == "Create" && chain.First.TargetMethod.Name == "UniqueConstraint" && !body.Creates(chain.Argument("OnTable")))
                {
                    body.Report(UniqueRule, chain.Last.Syntax, chain.Argument("OnTable") ?? "the table");
                }
            }
        }
    }
}
