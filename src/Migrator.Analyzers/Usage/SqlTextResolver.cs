using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Migrator.Analyzers.Usage
{
    /// <summary>
    /// Turns the expression passed as SQL into its text when the text is fixed at compile time: literals and
    /// raw strings, constants (also from other files), concatenation and interpolation of such parts, nameof,
    /// and locals or readonly fields assigned exactly once. An interpolation hole known only at run time
    /// in a value position becomes a parameter (<c>@hole1</c>, …). Anything else (parameters, method
    /// results, values reassigned, holes that name tables or columns) is reported with a reason rather
    /// than guessed.
    /// </summary>
    public static class SqlTextResolver
    {
        private const int MaxDepth = 16;

        public static (string? Sql, string? Reason) Resolve(ExpressionSyntax expression, SemanticModel model) =>
            Resolve(expression, model, 0);

        private static (string? Sql, string? Reason) Resolve(ExpressionSyntax expression, SemanticModel model, int depth)
        {
            if (depth > MaxDepth)
            {
                return (null, "the SQL is built through too many indirections");
            }

            var constant = model.GetConstantValue(expression);
            if (constant.HasValue && constant.Value is string text)
            {
                return (text, null);
            }

            switch (expression)
            {
                case ParenthesizedExpressionSyntax parens:
                    return Resolve(parens.Expression, model, depth + 1);
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                    return (literal.Token.ValueText, null);
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                    var left = Resolve(binary.Left, model, depth + 1);
                    if (left.Sql is null)
                    {
                        return left;
                    }

                    var right = Resolve(binary.Right, model, depth + 1);
                    return right.Sql is null ? right : (left.Sql + right.Sql, null);
                case InterpolatedStringExpressionSyntax interpolated:
                    return Interpolated(interpolated, model, depth);
                case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                    return Symbol(expression, model, depth);
                case InvocationExpressionSyntax invocation when invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }:
                    return (invocation.ArgumentList.Arguments.Last().Expression.ToString().Split('.').Last(), null);
                default:
                    return (null, $"the SQL comes from `{Shorten(expression)}`, which is only known at run time");
            }
        }

        private static (string? Sql, string? Reason) Interpolated(InterpolatedStringExpressionSyntax interpolated, SemanticModel model, int depth)
        {
            var builder = new StringBuilder();
            int holes = 0;
            bool skipQuote = false;
            foreach (var content in interpolated.Contents)
            {
                if (content is InterpolatedStringTextSyntax textPart)
                {
                    string text = textPart.TextToken.ValueText;
                    builder.Append(skipQuote ? text.Substring(1) : text);
                    skipQuote = false;
                    continue;
                }

                var hole = (InterpolationSyntax)content;
                var part = Resolve(hole.Expression, model, depth + 1);
                if (part.Sql is not null)
                {
                    builder.Append(part.Sql);
                    continue;
                }

                // A value known only at run time (`id = {id}`, `IN ({ids})`, `LIMIT {n}`, `'{date}'`) does not
                // change which tables and columns the SQL names: it becomes a parameter. A hole anywhere else
                // (a table, a column, a clause) leaves the SQL unknown.
                string after = NextText(interpolated, content);
                if (!ValuePosition(builder.ToString(), after, out bool quoted))
                {
                    return (null, $"the interpolated SQL has a hole `{{{Shorten(hole.Expression)}}}` only known at run time");
                }

                if (quoted)
                {
                    builder.Length--; // the opening quote; the closing one is skipped below
                }

                builder.Append("@hole").Append(++holes);
                skipQuote = quoted;
            }

            return (builder.ToString(), null);
        }

        private static string NextText(InterpolatedStringExpressionSyntax interpolated, InterpolatedStringContentSyntax content)
        {
            int index = interpolated.Contents.IndexOf(content);
            return index + 1 < interpolated.Contents.Count && interpolated.Contents[index + 1] is InterpolatedStringTextSyntax next ? next.TextToken.ValueText : "";
        }

        private static readonly string[] ValueOperators = { "=", "<", ">", "<=", ">=", "<>", "!=", "(", ",", "+", "-", "*", "/" };

        private static readonly string[] ValueKeywords = { "LIMIT", "OFFSET", "LIKE", "ILIKE", "BETWEEN", "AND", "THEN", "ELSE", "WHEN" };

        /// <summary>
        /// True when a hole between <paramref name="before"/> and <paramref name="after"/> holds a value: alone
        /// inside single quotes (<paramref name="quoted"/>), or after a comparison, an opening parenthesis, a
        /// comma inside parentheses, or LIMIT/OFFSET/LIKE/BETWEEN…, and followed by the end, a closing
        /// parenthesis, a comma, a cast or white space.
        /// </summary>
        private static bool ValuePosition(string before, string after, out bool quoted)
        {
            quoted = false;
            if (before.Count(c => c == '\'') % 2 == 1)
            {
                // Inside a string literal: a value only if the hole is the whole literal ('{x}').
                quoted = before.EndsWith("'", System.StringComparison.Ordinal) && after.StartsWith("'", System.StringComparison.Ordinal);
                return quoted;
            }

            bool endsWell = after.Length == 0 || after[0] is ')' or ',' or ' ' or '\n' or '\r' or '\t' or ';' || after.StartsWith("::", System.StringComparison.Ordinal);
            if (!endsWell)
            {
                return false;
            }

            string trimmed = before.TrimEnd();
            if (trimmed.EndsWith(",", System.StringComparison.Ordinal))
            {
                // A comma in a list of values inside parentheses (IN (1, {x})), not in a select list (SELECT a, {b}).
                int open = trimmed.LastIndexOf('('), close = trimmed.LastIndexOf(')');
                return open > close;
            }

            if (ValueOperators.Any(o => trimmed.EndsWith(o, System.StringComparison.Ordinal)))
            {
                return true;
            }

            int space = trimmed.LastIndexOfAny(new[] { ' ', '\n', '\t', '\r' });
            string word = trimmed.Substring(space + 1);
            return ValueKeywords.Contains(word, System.StringComparer.OrdinalIgnoreCase);
        }

        private static (string? Sql, string? Reason) Symbol(ExpressionSyntax expression, SemanticModel model, int depth)
        {
            if (expression is MemberAccessExpressionSyntax access && SqlBuilderTemplate.Read(access, model, e => Resolve(e, model, depth + 1)) is { } template)
            {
                return template;
            }

            var symbol = model.GetSymbolInfo(expression).Symbol;
            switch (symbol)
            {
                case ILocalSymbol local:
                    return Assigned(local, expression, model, depth, "local");
                case IFieldSymbol field when field.IsReadOnly || field.IsConst:
                    return Assigned(field, expression, model, depth, "field");
                case IParameterSymbol parameter:
                    return (null, $"the SQL comes from the parameter `{parameter.Name}`");
                case null:
                    return (null, $"`{Shorten(expression)}` could not be resolved");
                default:
                    return (null, $"the SQL comes from `{symbol.Name}`, which is not a constant or a value assigned once");
            }
        }

        /// <summary>A local or readonly field whose only assignment is its initializer.</summary>
        private static (string? Sql, string? Reason) Assigned(ISymbol symbol, ExpressionSyntax use, SemanticModel model, int depth, string what)
        {
            var declarations = symbol.DeclaringSyntaxReferences;
            if (declarations.Length != 1 || declarations[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer: { } initializer } declarator)
            {
                return (null, $"the {what} `{symbol.Name}` has no single initializer");
            }

            if (symbol is ILocalSymbol)
            {
                var body = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BlockSyntax or ArrowExpressionClauseSyntax || n is MemberDeclarationSyntax);
                bool reassigned = body is not null && body.DescendantNodes()
                    .OfType<AssignmentExpressionSyntax>()
                    .Any(a => a.Left is IdentifierNameSyntax id && id.Identifier.ValueText == symbol.Name);
                if (reassigned)
                {
                    return (null, $"the local `{symbol.Name}` is assigned more than once");
                }
            }

            if (declarator.SyntaxTree != use.SyntaxTree)
            {
                var otherModel = model.Compilation.GetSemanticModel(declarator.SyntaxTree);
                return Resolve(initializer.Value, otherModel, depth + 1);
            }

            return Resolve(initializer.Value, model, depth + 1);
        }

        private static string Shorten(SyntaxNode node)
        {
            string text = node.ToString();
            return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
        }
    }
}
