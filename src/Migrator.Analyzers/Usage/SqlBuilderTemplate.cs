using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Migrator.Analyzers.Usage
{
    /// <summary>
    /// Dapper.SqlBuilder: <c>var t = builder.AddTemplate("SELECT /**select**/ FROM orders /**where**/");</c>,
    /// then <c>builder.Select(…)</c>, <c>.Where(…)</c>, <c>.InnerJoin(…)</c> … in the same method, and
    /// <c>t.RawSql</c> given to Dapper. The template's markers are filled with every clause the method adds,
    /// as SqlBuilder does (a clause added under an <c>if</c> counts: the statement may hold it), so the SQL
    /// read names every table and column the calls can use. Read from syntax: the app need not reference
    /// the Dapper.SqlBuilder package for this.
    /// </summary>
    public static class SqlBuilderTemplate
    {
        private static readonly Dictionary<string, (string Marker, string Prefix, string Separator)> Clauses =
            new Dictionary<string, (string, string, string)>(StringComparer.Ordinal)
            {
                ["Select"] = ("select", "", ", "),
                ["Where"] = ("where", "WHERE ", " AND "),
                ["OrWhere"] = ("where", "WHERE ", " OR "),
                ["InnerJoin"] = ("innerjoin", "INNER JOIN ", "\nINNER JOIN "),
                ["LeftJoin"] = ("leftjoin", "LEFT JOIN ", "\nLEFT JOIN "),
                ["RightJoin"] = ("rightjoin", "RIGHT JOIN ", "\nRIGHT JOIN "),
                ["Join"] = ("join", "JOIN ", "\nJOIN "),
                ["OrderBy"] = ("orderby", "ORDER BY ", ", "),
                ["GroupBy"] = ("groupby", "GROUP BY ", ", "),
                ["Having"] = ("having", "HAVING ", " AND "),
                ["Set"] = ("set", "SET ", ", "),
            };

        /// <summary>The SQL of <c>template.RawSql</c>, or null with the reason; null, null when
        /// <paramref name="access"/> is not a SqlBuilder template's RawSql.</summary>
        public static (string? Sql, string? Reason)? Read(MemberAccessExpressionSyntax access, SemanticModel model, Func<ExpressionSyntax, (string? Sql, string? Reason)> resolve)
        {
            if (access.Name.Identifier.ValueText != "RawSql" || !(access.Expression is IdentifierNameSyntax templateName)
                || !(model.GetSymbolInfo(templateName).Symbol is ILocalSymbol template)
                || template.DeclaringSyntaxReferences.Length != 1
                || !(template.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer: { Value: InvocationExpressionSyntax add } })
                || !(add.Expression is MemberAccessExpressionSyntax { Name: { Identifier: { ValueText: "AddTemplate" } } } addAccess)
                || add.ArgumentList.Arguments.Count == 0
                || !(Root(addAccess.Expression) is IdentifierNameSyntax builderName)
                || !(model.GetSymbolInfo(builderName).Symbol is ILocalSymbol builder))
            {
                return null;
            }

            var (text, reason) = resolve(add.ArgumentList.Arguments[0].Expression);
            if (text is null)
            {
                return (null, reason);
            }

            var body = add.FirstAncestorOrSelf<SyntaxNode>(n => n is BlockSyntax || n is ArrowExpressionClauseSyntax);
            var added = new Dictionary<string, List<(string Clause, string Separator)>>(StringComparer.Ordinal);
            // In the order the clauses are written (a chain's outer call comes first in the tree).
            var calls = (body?.DescendantNodes().OfType<InvocationExpressionSyntax>() ?? Enumerable.Empty<InvocationExpressionSyntax>())
                .OrderBy(c => c.Expression is MemberAccessExpressionSyntax m ? m.Name.SpanStart : c.SpanStart);
            foreach (var call in calls)
            {
                if (!(call.Expression is MemberAccessExpressionSyntax member) || !Clauses.TryGetValue(member.Name.Identifier.ValueText, out var kind)
                    || call.ArgumentList.Arguments.Count == 0
                    || !(Root(member.Expression) is IdentifierNameSyntax receiver)
                    || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(receiver).Symbol, builder))
                {
                    continue;
                }

                var (clause, why) = resolve(call.ArgumentList.Arguments[0].Expression);
                if (clause is null)
                {
                    return (null, why);
                }

                if (!added.TryGetValue(kind.Marker, out var list))
                {
                    added[kind.Marker] = list = new List<(string, string)>();
                }

                list.Add((clause, kind.Separator));
            }

            foreach (var kind in Clauses.Values.Select(c => (c.Marker, c.Prefix)).Distinct())
            {
                string marker = "/**" + kind.Marker + "**/";
                string filled = added.TryGetValue(kind.Marker, out var clauses)
                    ? kind.Prefix + clauses[0].Clause + string.Concat(clauses.Skip(1).Select(c => c.Separator + c.Clause))
                    : "";
                text = text.Replace(marker, filled);
            }

            return (text, null);
        }

        /// <summary>The receiver a fluent chain starts from (<c>b</c> in <c>b.Select(…).Where(…)</c>).</summary>
        private static ExpressionSyntax Root(ExpressionSyntax expression)
        {
            while (expression is InvocationExpressionSyntax invocation && invocation.Expression is MemberAccessExpressionSyntax member)
            {
                expression = member.Expression;
            }

            return expression;
        }
    }
}
