using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Migrator.Analyzers.Migrations;

namespace Migrator.Analyzers
{
    /// <summary>
    /// MIG0011: a column added to an existing table with a default PostgreSQL must compute per row
    /// (<c>SystemMethods.NewGuid</c> / <c>NewSequentialId</c>, a <c>RawSql</c> calling gen_random_uuid(), random(),
    /// clock_timestamp() or nextval, or <c>.Identity()</c>): every row is rewritten under an exclusive lock.
    /// <c>CurrentDateTime</c> (now()) is stable and stored as a fast default: not flagged.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class VolatileDefaultAnalyzer : MigrationAnalyzer
    {
        private static readonly string[] VolatileSql = { "gen_random_uuid", "uuid_generate_v", "random(", "clock_timestamp", "nextval", "timeofday" };

        public static readonly DiagnosticDescriptor Rule = Descriptor(
            RuleIds.VolatileDefault,
            "Column {0} is added with a volatile default ({1}): every row is rewritten under an exclusive lock; add it without a default and backfill it (AddColumn(…, defaultSql: …) does this)");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        protected override void Analyze(MigrationBody body)
        {
            if (!MigrationParts.IsForward(body.Part))
            {
                return;
            }

            foreach (var chain in body.Chains)
            {
                bool adds = (chain.Root == "Alter" && chain.Has("AddColumn")) || (chain.Root == "Create" && chain.First.TargetMethod.Name == "Column");
                string? table = chain.Root == "Alter" ? chain.Argument("Table") : chain.Argument("OnTable");
                if (!adds || body.Creates(table))
                {
                    continue;
                }

                string? why = chain.Has("Identity") ? "identity" : null;
                foreach (var call in chain.Calls.Where(c => c.TargetMethod.Name is "WithDefault" or "WithDefaultValue"))
                {
                    why ??= Volatile(call);
                }

                if (why is not null)
                {
                    body.Report(Rule, chain.Last.Syntax, chain.Argument("AddColumn") ?? chain.Argument("Column") ?? "the column", why);
                }
            }
        }

        private static string? Volatile(IInvocationOperation call)
        {
            var value = call.Arguments.FirstOrDefault()?.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IFieldReferenceOperation { Field: { Name: "NewGuid" or "NewSequentialId" } field })
            {
                return "SystemMethods." + field.Name;
            }

            if (value is IInvocationOperation { TargetMethod.Name: "Insert" } raw && raw.Arguments.FirstOrDefault()?.Value.ConstantValue.Value is string sql)
            {
                string lower = sql.ToLowerInvariant();
                return VolatileSql.Any(lower.Contains) ? sql : null;
            }

            return null;
        }
    }
}
