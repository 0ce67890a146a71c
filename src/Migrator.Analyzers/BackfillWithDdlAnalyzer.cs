using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Migrator.Analyzers.Migrations;
using Migrator.Analyzers.Sql;
using Migrator.Analyzers.Usage;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0029: rows updated (<c>Update.Table</c>, <c>Delete.FromTable</c>, or Execute.Sql with UPDATE/DELETE) in the
    /// same migration body as schema changes: a migration runs in one transaction, so the DDL's lock is held
    /// for the whole update. Backfill with Migrator (keyset batches) instead.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BackfillWithDdlAnalyzer : MigrationAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.BackfillWithDdl,
            "{0} in the same migration as schema changes: the schema change's lock is held until the whole {1} commits; move the data change to a backfill (AddColumn(…, fill: …), or the change's Backfill), or to a migration of its own");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.IsForward(body.Part))
            {
                return;
            }

            var data = body.Chains.Where(c => IsData(c)).ToList();
            bool ddl = body.Chains.Any(c => IsDdl(c));
            if (!ddl)
            {
                return;
            }

            foreach (var chain in data)
            {
                var (what, verb) = chain.Root == "Update" ? ("Rows are updated", "update")
                    : chain.Root == "Delete" ? ("Rows are deleted", "delete")
                    : Effects(chain).Any(e => e.Kind == DdlKind.Update) ? ("Rows are updated by raw SQL", "update") : ("Rows are deleted by raw SQL", "delete");
                body.Report(Rule, chain.Last.Syntax, what, verb);
            }
        }

        private static bool IsData(FluentChain chain) =>
            (chain.Root == "Update")
            || (chain.Root == "Delete" && chain.First.TargetMethod.Name == "FromTable")
            || (chain.Root == "Execute" && Effects(chain).Any(e => e.Kind is DdlKind.Update or DdlKind.Delete));

        private static bool IsDdl(FluentChain chain) =>
            chain.Root is "Alter" or "Rename"
            || (chain.Root == "Create")
            || (chain.Root == "Delete" && chain.First.TargetMethod.Name != "FromTable")
            || (chain.Root == "Execute" && Effects(chain).Any(e => e.Kind is not (DdlKind.Update or DdlKind.Delete or DdlKind.Insert or DdlKind.Other)));

        private static System.Collections.Generic.IEnumerable<DdlEffect> Effects(FluentChain chain)
        {
            if (chain.First.TargetMethod.Name != "Sql" || chain.First.Arguments.Length == 0 || chain.First.Arguments[0].Value.Syntax is not ExpressionSyntax expression)
            {
                return Enumerable.Empty<DdlEffect>();
            }

            var (sql, _) = SqlTextResolver.Resolve(expression, chain.First.SemanticModel!);
            return sql is null ? Enumerable.Empty<DdlEffect>() : PgDdlAnalyzer.Analyze(sql);
        }
    }
}
