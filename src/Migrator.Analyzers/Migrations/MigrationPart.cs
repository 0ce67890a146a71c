using System.Linq;
using Microsoft.CodeAnalysis;

namespace Migrator.Analyzers.Migrations
{
    /// <summary>Where a piece of migration code runs.</summary>
    public enum MigrationPart
    {
        /// <summary>Not migration code.</summary>
        None,

        /// <summary>Up() of a plain FluentMigrator migration: runs at once, while the old app version is live.</summary>
        PlainUp,

        /// <summary>Down() of a plain migration: a rollback, not judged.</summary>
        PlainDown,

        /// <summary>A Migrator change's Expand() (or its constructor, where operations are declared).</summary>
        Expand,

        /// <summary>A Migrator change's Contract(): runs once no live version needs the old shape.</summary>
        Contract,
    }

    /// <summary>Tells plain FluentMigrator migrations from Migrator changes, and which of their methods a symbol is.</summary>
    public static class MigrationParts
    {
        public static bool IsChange(INamedTypeSymbol? type) => Derives(type, "Migrator.Authoring.Change");

        public static bool IsMigration(INamedTypeSymbol? type) =>
            Derives(type, "FluentMigrator.MigrationBase") || (type?.AllInterfaces.Any(i => IsNamed(i, "FluentMigrator.IMigration")) ?? false);

        public static MigrationPart Of(ISymbol? containing)
        {
            var method = containing as IMethodSymbol;
            while (method is { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } && method.ContainingSymbol is IMethodSymbol outer)
            {
                method = outer;
            }

            var type = method?.ContainingType;
            if (method is null || !IsMigration(type))
            {
                return MigrationPart.None;
            }

            if (IsChange(type))
            {
                return method.MethodKind == MethodKind.Constructor || method.Name == "Expand"
                    ? MigrationPart.Expand
                    : method.Name == "Contract" ? MigrationPart.Contract : MigrationPart.None;
            }

            return method.Name switch
            {
                "Up" => MigrationPart.PlainUp,
                "Down" => MigrationPart.PlainDown,
                _ => MigrationPart.None,
            };
        }

        /// <summary>True where a change to an existing table runs while the previous app version is live.</summary>
        public static bool RunsBesideOldVersion(MigrationPart part) => part is MigrationPart.PlainUp or MigrationPart.Expand;

        /// <summary>True for code that changes the schema of a live database (locks matter).</summary>
        public static bool IsForward(MigrationPart part) => part is MigrationPart.PlainUp or MigrationPart.Expand or MigrationPart.Contract;

        /// <summary>
        /// True when <paramref name="type"/> is the top-level type <paramref name="fullName"/> (Namespace.Name),
        /// compared part by part: a display string per type and base type, on every type of a project, is
        /// measurable build time.
        /// </summary>
        public static bool IsNamed(ITypeSymbol type, string fullName)
        {
            int dot = fullName.LastIndexOf('.');
            if (type.ContainingType is not null || string.CompareOrdinal(type.Name, 0, fullName, dot + 1, fullName.Length - dot - 1) != 0
                || type.Name.Length != fullName.Length - dot - 1)
            {
                return false;
            }

            int end = dot;
            for (var ns = type.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
            {
                if (end <= 0)
                {
                    return false;
                }

                int start = fullName.LastIndexOf('.', end - 1) + 1;
                if (ns.Name.Length != end - start || string.CompareOrdinal(ns.Name, 0, fullName, start, end - start) != 0)
                {
                    return false;
                }

                end = start - 1;
            }

            return end == -1;
        }

        private static bool Derives(INamedTypeSymbol? type, string name)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (IsNamed(current, name))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
