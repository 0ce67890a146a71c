using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Migrator.Analyzers.Usage
{
    /// <summary>
    /// Finds Dapper calls in a syntax tree: every SqlMapper extension (Query*, QueryFirst*, QuerySingle*,
    /// QueryMultiple*, Execute*, ExecuteScalar*, ExecuteReader*, sync and async) and every
    /// <c>new CommandDefinition(…)</c>. A call is Dapper's when it binds to Dapper.SqlMapper, or, when it
    /// cannot be bound (a package the reader has no reference for), when its name is one of Dapper's and it
    /// passes the strict rule of <see cref="UnboundLooksLikeDapper"/>.
    /// </summary>
    public static class DapperCallFinder
    {
        private static readonly HashSet<string> Methods = new HashSet<string>(StringComparer.Ordinal)
        {
            "Query", "QueryAsync", "QueryFirst", "QueryFirstAsync", "QueryFirstOrDefault", "QueryFirstOrDefaultAsync",
            "QuerySingle", "QuerySingleAsync", "QuerySingleOrDefault", "QuerySingleOrDefaultAsync",
            "QueryMultiple", "QueryMultipleAsync", "QueryUnbufferedAsync",
            "Execute", "ExecuteAsync", "ExecuteScalar", "ExecuteScalarAsync", "ExecuteReader", "ExecuteReaderAsync",
        };

        public static IEnumerable<DapperCall> Find(SyntaxTree tree, SemanticModel model)
        {
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (At(node, model) is { } call)
                {
                    yield return call;
                }
            }
        }

        /// <summary>
        /// The Dapper call <paramref name="node"/> is, if it is one (an invocation or a CommandDefinition).
        /// With <paramref name="describeRows"/> false the row type's members are not read (the IDE analyzer
        /// needs only the SQL; naming every member's type is most of a call's cost).
        /// </summary>
        public static DapperCall? At(SyntaxNode node, SemanticModel model, bool describeRows = true)
        {
            if (node is InvocationExpressionSyntax invocation && MethodName(invocation) is { } name && Methods.Contains(name.Identifier.ValueText))
            {
                return FromInvocation(invocation, name, model, describeRows);
            }

            if (node is ObjectCreationExpressionSyntax creation && creation.Type.ToString().EndsWith("CommandDefinition", StringComparison.Ordinal)
                && IsStandalone(creation) && IsCommandDefinition(creation, model))
            {
                var sql = Argument(creation.ArgumentList, "commandText", 0);
                return sql is null ? null : Create("CommandDefinition", creation, sql, model);
            }

            return null;
        }

        private static SimpleNameSyntax? MethodName(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };

        private static DapperCall? FromInvocation(InvocationExpressionSyntax invocation, SimpleNameSyntax name, SemanticModel model, bool describeRows)
        {
            var info = model.GetSymbolInfo(invocation);
            var method = (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) as IMethodSymbol;
            if (method is not null && !IsDapperType(method.ContainingType, "SqlMapper"))
            {
                return null;
            }

            bool staticCall = invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "SqlMapper" } };
            var argument = Argument(invocation.ArgumentList, "sql", staticCall ? 1 : 0) ?? Argument(invocation.ArgumentList, "command", staticCall ? 1 : 0);
            if (argument is null || (method is null && !UnboundLooksLikeDapper(invocation, argument, model)))
            {
                return null;
            }

            var call = Create(name.Identifier.ValueText, invocation, argument, model);
            if (!describeRows)
            {
                return call;
            }

            var typeArgument = method?.TypeArguments.FirstOrDefault()
                ?? (name is GenericNameSyntax generic ? model.GetTypeInfo(generic.TypeArgumentList.Arguments[0]).Type : null);
            string methodName = name.Identifier.ValueText;
            bool mapsRows = !methodName.StartsWith("Execute", StringComparison.Ordinal) || methodName.StartsWith("ExecuteScalar", StringComparison.Ordinal);
            if (typeArgument is not null && typeArgument.TypeKind != TypeKind.Error && mapsRows)
            {
                Describe(call, typeArgument!);
            }

            return call;
        }

        private static readonly HashSet<string> SqlKeywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "CALL", "EXEC", "EXECUTE", "VALUES", "TABLE",
            "CREATE", "ALTER", "DROP", "TRUNCATE", "DO", "SET", "SHOW", "COPY", "REFRESH", "LOCK", "DECLARE", "BEGIN", "IF",
        };

        /// <summary>
        /// The strict rule for a call that does not bind (the reader has no reference for its receiver's package):
        /// it is Dapper's only when its receiver's type is unknown or a connection, and its SQL argument is text
        /// that starts like SQL, a string known only at run time, or a CommandDefinition. An HTTP client's or a
        /// retry policy's <c>Execute(request)</c> is none of these.
        /// </summary>
        private static bool UnboundLooksLikeDapper(InvocationExpressionSyntax invocation, ExpressionSyntax argument, SemanticModel model)
        {
            if (invocation.Expression is MemberAccessExpressionSyntax member
                && model.GetTypeInfo(member.Expression).Type is { TypeKind: not TypeKind.Error } receiver
                && !IsConnection(receiver) && !IsDapperType(receiver, "SqlMapper"))
            {
                return false;
            }

            if (argument is ObjectCreationExpressionSyntax creation && creation.Type.ToString().EndsWith("CommandDefinition", StringComparison.Ordinal))
            {
                return true;
            }

            var (sql, _) = SqlTextResolver.Resolve(argument, model);
            if (sql is not null)
            {
                return StartsLikeSql(sql);
            }

            return model.GetTypeInfo(argument).Type is { SpecialType: SpecialType.System_String };
        }

        private static bool IsConnection(ITypeSymbol type) =>
            type.AllInterfaces.Any(i => i.Name == "IDbConnection" && i.ContainingNamespace is { Name: "Data", ContainingNamespace.Name: "System" })
            || (type.Name == "IDbConnection" && type.ContainingNamespace is { Name: "Data", ContainingNamespace.Name: "System" });

        private static bool StartsLikeSql(string sql)
        {
            int i = 0;
            while (i < sql.Length)
            {
                if (char.IsWhiteSpace(sql[i]) || sql[i] == '(')
                {
                    i++;
                }
                else if (i + 1 < sql.Length && sql[i] == '-' && sql[i + 1] == '-')
                {
                    int end = sql.IndexOf('\n', i);
                    i = end < 0 ? sql.Length : end + 1;
                }
                else if (i + 1 < sql.Length && sql[i] == '/' && sql[i + 1] == '*')
                {
                    int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? sql.Length : end + 2;
                }
                else
                {
                    break;
                }
            }

            int start = i;
            while (i < sql.Length && char.IsLetter(sql[i]))
            {
                i++;
            }

            return SqlKeywords.Contains(sql.Substring(start, i - start));
        }

        /// <summary>A CommandDefinition passed straight to a Dapper call is reported with that call, not twice.</summary>
        private static bool IsStandalone(ObjectCreationExpressionSyntax creation)
        {
            if (creation.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
                && MethodName(invocation) is { } name && Methods.Contains(name.Identifier.ValueText))
            {
                return false;
            }

            // var command = new CommandDefinition(…); … db.ExecuteAsync(command): reported with the call.
            if (creation.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                && declarator.FirstAncestorOrSelf<BlockSyntax>() is { } block)
            {
                string local = declarator.Identifier.ValueText;
                return !block.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i =>
                    MethodName(i) is { } n && Methods.Contains(n.Identifier.ValueText)
                    && i.ArgumentList.Arguments.Any(a => a.Expression is IdentifierNameSyntax id && id.Identifier.ValueText == local));
            }

            return true;
        }

        private static bool IsCommandDefinition(ObjectCreationExpressionSyntax creation, SemanticModel model)
        {
            var type = model.GetTypeInfo(creation).Type;
            if (type is not null && type.TypeKind != TypeKind.Error)
            {
                return IsDapperType(type, "CommandDefinition");
            }

            return creation.Type.ToString().EndsWith("CommandDefinition", StringComparison.Ordinal);
        }

        /// <summary>Dapper.<paramref name="name"/>, compared by name parts: a display string per call costs more than the binding.</summary>
        private static bool IsDapperType(ITypeSymbol? type, string name) =>
            type is not null && type.Name == name && type.ContainingType is null
            && type.ContainingNamespace is { Name: "Dapper" } ns && ns.ContainingNamespace is { IsGlobalNamespace: true };

        private static ExpressionSyntax? Argument(ArgumentListSyntax? list, string name, int position)
        {
            if (list is null)
            {
                return null;
            }

            var named = list.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name);
            if (named is not null)
            {
                return named.Expression;
            }

            var positional = list.Arguments.Where(a => a.NameColon is null).ToList();
            return positional.Count > position ? positional[position].Expression : null;
        }

        private static DapperCall Create(string method, SyntaxNode call, ExpressionSyntax sqlExpression, SemanticModel model)
        {
            var expression = Unwrap(sqlExpression, model);
            (string? sql, string? reason) = expression is ObjectCreationExpressionSyntax creation && IsCommandDefinition(creation, model)
                ? Argument(creation.ArgumentList, "commandText", 0) is { } text ? SqlTextResolver.Resolve(text, model) : (null, "CommandDefinition without command text")
                : SqlTextResolver.Resolve(expression, model);
            return new DapperCall(method, call.GetLocation(), sql, reason, sqlExpression);
        }

        /// <summary>A CommandDefinition held in a local assigned once is followed to its creation.</summary>
        private static ExpressionSyntax Unwrap(ExpressionSyntax expression, SemanticModel model)
        {
            if (expression is IdentifierNameSyntax && model.GetSymbolInfo(expression).Symbol is ILocalSymbol local
                && local.Type.Name == "CommandDefinition"
                && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var value })
            {
                return value;
            }

            return expression;
        }

        private static void Describe(DapperCall call, ITypeSymbol type)
        {
            call.ResultType = type.ToDisplayString();
            bool scalar = type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Enum
                || IsNullableValue(type) || type.Name is "Guid" or "DateTime" or "DateTimeOffset" or "TimeSpan" or "DateOnly" or "TimeOnly" or "Decimal";
            call.ScalarResult = scalar;
            if (scalar || type.TypeKind is TypeKind.Dynamic or TypeKind.Error)
            {
                if (scalar)
                {
                    call.ResultMembers = new[] { new MappedMember("(scalar)", type.ToDisplayString(), Nullable(type)) };
                }

                return;
            }

            var members = new List<MappedMember>();
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
                {
                    if (!property.IsStatic && property.DeclaredAccessibility == Accessibility.Public && property.Parameters.Length == 0
                        && !members.Any(m => m.Name == property.Name))
                    {
                        members.Add(new MappedMember(property.Name, property.Type.ToDisplayString(), Nullable(property.Type)));
                    }
                }
            }

            call.ResultMembers = members;
        }

        private static bool IsNullableValue(ITypeSymbol type) => type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

        private static bool Nullable(ITypeSymbol type) => !type.IsValueType || IsNullableValue(type);
    }
}
