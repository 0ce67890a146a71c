using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Migrator.Analyzers.Migrations
{
    /// <summary>
    /// One FluentMigrator expression as written: every call made on it, whether in one chained statement or
    /// split over several through locals (<c>var column = Alter.Table("t").AddColumn("c"); column.AsString();</c>).
    /// The calls are grouped by the first call on the migration's root (Create, Alter, Delete, Rename,
    /// Execute, Update, Insert).
    /// </summary>
    public sealed class FluentChain
    {
        private FluentChain(string root, IInvocationOperation first)
        {
            Root = root;
            First = first;
        }

        /// <summary>The root property: Create, Alter, Delete, Rename, Execute, Update or Insert.</summary>
        public string Root { get; }

        /// <summary>The first call on the root, e.g. Create.Index(…).</summary>
        public IInvocationOperation First { get; }

        public List<IInvocationOperation> Calls { get; } = new List<IInvocationOperation>();

        public bool Has(string method) => Calls.Any(c => c.TargetMethod.Name == method);

        public IInvocationOperation? Find(string method) => Calls.FirstOrDefault(c => c.TargetMethod.Name == method);

        /// <summary>The constant string argument of the first call named <paramref name="method"/>.</summary>
        public string? Argument(string method, int index = 0)
        {
            var call = Find(method);
            return call is not null && call.Arguments.Length > index && call.Arguments[index].Value.ConstantValue is { HasValue: true, Value: string text } ? text : null;
        }

        /// <summary>The last call in source order: where a chain can be extended.</summary>
        public IInvocationOperation Last => Calls.OrderBy(c => c.Syntax.SpanStart).ThenBy(c => c.Syntax.Span.Length).Last();

        private static readonly HashSet<string> Roots = new HashSet<string> { "Create", "Alter", "Delete", "Rename", "Execute", "Update", "Insert" };

        /// <summary>Every chain in a method body.</summary>
        public static IReadOnlyList<FluentChain> Collect(IOperation body)
        {
            var chains = new Dictionary<IInvocationOperation, FluentChain>();
            foreach (var invocation in body.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                var (first, root) = FirstOf(invocation, body, 0);
                if (first is null || root is null)
                {
                    continue;
                }

                if (!chains.TryGetValue(first, out var chain))
                {
                    chain = chains[first] = new FluentChain(root, first);
                }

                chain.Calls.Add(invocation);
            }

            return chains.Values.OrderBy(c => c.First.Syntax.SpanStart).ToList();
        }

        /// <summary>Walks receivers back to the first call on a root property, through locals.</summary>
        private static (IInvocationOperation? First, string? Root) FirstOf(IInvocationOperation invocation, IOperation body, int depth)
        {
            if (depth > 32)
            {
                return (null, null);
            }

            // Extension methods (FluentMigrator.Postgres' AsConcurrently, …) take their receiver as the first argument.
            var receiver = Unwrap(invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null));
            switch (receiver)
            {
                case IInvocationOperation inner:
                    return FirstOf(inner, body, depth + 1);
                case IPropertyReferenceOperation property when Roots.Contains(property.Property.Name)
                    && (MigrationParts.IsMigration(property.Property.ContainingType) || IsIfDatabase(property)):
                    return (invocation, property.Property.Name);
                case ILocalReferenceOperation local:
                    var value = Initializer(local.Local, body);
                    if (value is IInvocationOperation initializer)
                    {
                        return FirstOf(initializer, body, depth + 1);
                    }

                    if (value is IPropertyReferenceOperation rootProperty && Roots.Contains(rootProperty.Property.Name))
                    {
                        return (invocation, rootProperty.Property.Name);
                    }

                    return (null, null);
                default:
                    return (null, null);
            }
        }

        /// <summary>`IfDatabase("postgres").Create.Index(…)`: the root property of the expression root IfDatabase
        /// returns, on a call made on the migration.</summary>
        private static bool IsIfDatabase(IPropertyReferenceOperation property) =>
            Unwrap(property.Instance) is IInvocationOperation { TargetMethod.Name: "IfDatabase" } call
            && MigrationParts.IsMigration(call.TargetMethod.ContainingType);

        private static IOperation? Unwrap(IOperation? operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        private static IOperation? Initializer(ILocalSymbol local, IOperation body) =>
            Unwrap(body.Descendants().OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local))?.Initializer?.Value);
    }
}
