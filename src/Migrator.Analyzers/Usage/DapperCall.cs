using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Migrator.Analyzers.Usage
{
    /// <summary>A property of the type a query maps rows to, as Dapper fills it.</summary>
    public sealed class MappedMember
    {
        public MappedMember(string name, string type, bool nullable)
        {
            Name = name;
            Type = type;
            Nullable = nullable;
        }

        public string Name { get; }

        public string Type { get; }

        /// <summary>False for value types that are not Nullable&lt;T&gt;: a NULL cannot be put there.</summary>
        public bool Nullable { get; }
    }

    /// <summary>One Dapper call (or CommandDefinition) found in app code, with its SQL when it could be resolved.</summary>
    public sealed class DapperCall
    {
        public DapperCall(string method, Location location, string? sql, string? unresolvedReason, SyntaxNode sqlExpression)
        {
            Method = method;
            Location = location;
            Sql = sql;
            UnresolvedReason = unresolvedReason;
            SqlExpression = sqlExpression;
        }

        public string Method { get; }

        public Location Location { get; }

        /// <summary>The SQL text, or null when it is built at run time (see <see cref="UnresolvedReason"/>).</summary>
        public string? Sql { get; }

        public string? UnresolvedReason { get; }

        /// <summary>The argument that carries the SQL (where a diagnostic points).</summary>
        public SyntaxNode SqlExpression { get; }

        /// <summary>The row type of Query&lt;T&gt; and friends (null for Execute, dynamic rows, or unknown).</summary>
        public string? ResultType { get; set; }

        /// <summary>True when T is a scalar (int, string, Guid…) rather than a class mapped by column name.</summary>
        public bool ScalarResult { get; set; }

        public IReadOnlyList<MappedMember> ResultMembers { get; set; } = new MappedMember[0];
    }
}
