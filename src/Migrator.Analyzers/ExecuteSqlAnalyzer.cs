using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Migrator.Analyzers.Migrations;
using Migrator.Analyzers.Sql;
using Migrator.Analyzers.Usage;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0036: <c>Execute.Sql(…)</c> (or a change's <c>Sql(Phase.Expand, …)</c>) whose text, read with the same
    /// PostgreSQL analyser as the compatibility checker, drops, renames, retypes, truncates, rewrites, or takes
    /// a long lock (index without CONCURRENTLY, constraint without NOT VALID, SET NOT NULL).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ExecuteSqlAnalyzer : MigrationAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.RawSql,
            "Raw SQL {0}: {1}");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.IsForward(body.Part))
            {
                return;
            }

            foreach (var chain in body.Chains.Where(c => c.Root == "Execute" && c.First.TargetMethod.Name == "Sql"))
            {
                Check(body, chain.First, body.Part);
            }

            // Sql(Phase.Expand, "…") in a change: an operation declared to run at expand.
            foreach (var call in body.Body.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                if (call.TargetMethod.Name == "Sql" && MigrationParts.IsChange(call.TargetMethod.ContainingType)
                    && call.Arguments.Length > 1 && call.Arguments[0].Value.ConstantValue.Value is int phase && phase == 0)
                {
                    Check(body, call, MigrationPart.Expand, argument: 1);
                }
            }
        }

        private static void Check(MigrationBody body, IInvocationOperation call, MigrationPart part, int argument = 0)
        {
            if (call.Arguments.Length <= argument || call.Arguments[argument].Value.Syntax is not ExpressionSyntax expression)
            {
                return;
            }

            var (sql, _) = SqlTextResolver.Resolve(expression, call.SemanticModel!);
            if (sql is null)
            {
                return;
            }

            foreach (var effect in PgDdlAnalyzer.Analyze(sql))
            {
                if (Hazard(effect, part) is { } why)
                {
                    body.Report(Rule, call.Syntax, Short(effect.Sql), why);
                    return;
                }
            }
        }

        /// <summary>Why the statement is a hazard in <paramref name="part"/>, or null.</summary>
        public static string? Hazard(DdlEffect effect, MigrationPart part)
        {
            bool beside = MigrationParts.RunsBesideOldVersion(part);
            switch (effect.Kind)
            {
                case DdlKind.DropColumn when beside:
                case DdlKind.DropTable when beside:
                    return "drops what the running version may still use (MIG0001/MIG0002): do it at contract";
                case DdlKind.RenameColumn when beside:
                case DdlKind.RenameTable when beside:
                    return "renames what the running version still uses (MIG0004/MIG0005): use RenameColumn / RenameTable";
                case DdlKind.DropSchema:
                    return "drops a schema or database (MIG0003)";
                case DdlKind.AlterColumnType:
                    return "changes a column type in place: a rewrite under lock (MIG0007)";
                case DdlKind.Truncate:
                    return "truncates a table (MIG0038)";
                case DdlKind.CreateIndex when !effect.Concurrently:
                    return "builds an index without CONCURRENTLY, blocking writes for the whole build (MIG0021): write CREATE INDEX CONCURRENTLY, or use the CreateIndex operation";
                case DdlKind.DropIndex when !effect.Concurrently:
                    return "drops an index without CONCURRENTLY, under an exclusive lock (MIG0023): write DROP INDEX CONCURRENTLY, or use the DropIndex operation";
                case DdlKind.AddConstraint when effect.ConstraintKind is "foreign key" or "check" && !effect.NotValid:
                    return $"adds a {effect.ConstraintKind} without NOT VALID: a scan under lock (MIG0015/MIG0016)";
                case DdlKind.AddConstraint when effect.ConstraintKind is "unique" or "primary key" && !effect.UsingIndex:
                    return "builds a unique index under lock (MIG0018/MIG0019)";
                case DdlKind.SetNotNull:
                    return "sets NOT NULL with a full scan under lock (MIG0013): use SetNotNull";
                case DdlKind.AddColumn when effect.Declaration is { NotNull: true, HasDefault: false }:
                    return "adds a NOT NULL column without a default (MIG0009)";
                case DdlKind.AddColumn when effect.Declaration is { VolatileDefault: true }:
                    return "adds a column with a volatile default: a rewrite under lock (MIG0011)";
                case DdlKind.VacuumFull:
                case DdlKind.Cluster:
                case DdlKind.Reindex when !effect.Concurrently:
                    return "rewrites under an exclusive lock (MIG0024)";
                default:
                    return null;
            }
        }

        private static string Short(string sql)
        {
            string line = sql.Replace('\n', ' ').Trim();
            return line.Length <= 60 ? line : line.Substring(0, 57) + "...";
        }
    }
}
