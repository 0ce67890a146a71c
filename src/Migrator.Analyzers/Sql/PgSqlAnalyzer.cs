using System;
using System.Collections.Generic;
using System.Linq;
using Superpower;
using Superpower.Model;

namespace Migrator.Analyzers.Sql
{
    /// <summary>
    /// Reads PostgreSQL DML and reports the tables and columns it reads and writes. Each statement of the
    /// text is parsed on its own (<see cref="PgGrammar"/>), so one unreadable statement is reported as an
    /// error without hiding the others; non-DML statements are listed as "other".
    /// </summary>
    public static class PgSqlAnalyzer
    {
        private static readonly HashSet<string> DmlStarts = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "select", "with", "insert", "update", "delete", "values",
        };

        public static SqlAnalysis Analyze(string sql, ISchemaLookup? schema = null)
        {
            var analysis = new SqlAnalysis(sql);
            TokenList<SqlToken> tokens;
            try
            {
                tokens = PgTokenizer.Instance.Tokenize(sql);
            }
            catch (ParseException e)
            {
                analysis.Errors.Add(e.Message);
                return analysis;
            }

            foreach (var token in tokens.Where(t => t.Kind == SqlToken.Parameter))
            {
                string name = token.ToStringValue().Substring(1);
                if (!analysis.Parameters.Contains(name))
                {
                    analysis.Parameters.Add(name);
                }
            }

            bool first = true;
            foreach (var statement in SplitStatements(tokens))
            {
                var head = statement[0];
                bool dml = head.Kind == SqlToken.LParen || (head.Kind == SqlToken.Identifier && DmlStarts.Contains(head.ToStringValue()));
                if (!dml)
                {
                    analysis.OtherStatements.Add(head.ToStringValue().ToUpperInvariant());
                    first = false;
                    continue;
                }

                var result = PgGrammar.Complete(new TokenList<SqlToken>(statement));
                if (!result.HasValue)
                {
                    analysis.Errors.Add(result.ToString());
                    first = false;
                    continue;
                }

                if (first)
                {
                    analysis.Kind = KindOf(result.Value);
                    first = false;
                }

                new SqlResolver(analysis, schema).Resolve(result.Value);
            }

            return analysis;
        }

        private static StatementKind KindOf(SqlStatement statement) => statement switch
        {
            InsertStatement => StatementKind.Insert,
            UpdateStatement => StatementKind.Update,
            DeleteStatement => StatementKind.Delete,
            _ => StatementKind.Select,
        };

        /// <summary>Splits at semicolons outside parentheses; empty statements are dropped.</summary>
        internal static IEnumerable<Token<SqlToken>[]> SplitStatements(TokenList<SqlToken> tokens)
        {
            var current = new List<Token<SqlToken>>();
            int depth = 0;
            foreach (var token in tokens)
            {
                if (token.Kind == SqlToken.LParen)
                {
                    depth++;
                }
                else if (token.Kind == SqlToken.RParen)
                {
                    depth--;
                }
                else if (token.Kind == SqlToken.Semicolon && depth <= 0)
                {
                    if (current.Count > 0)
                    {
                        yield return current.ToArray();
                    }

                    current.Clear();
                    continue;
                }

                current.Add(token);
            }

            if (current.Count > 0)
            {
                yield return current.ToArray();
            }
        }
    }
}
