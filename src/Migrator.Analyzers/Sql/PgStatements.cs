using System.Collections.Generic;
using System.Linq;

namespace Migrator.Analyzers.Sql
{
    /// <summary>
    /// Splits PostgreSQL text into its statements at top-level semicolons, with the tokenizer, so a
    /// semicolon inside a string, a dollar-quoted body, a quoted identifier or a comment never splits.
    /// Pieces holding only white space or comments are dropped.
    /// </summary>
    public static class PgStatements
    {
        public static IReadOnlyList<string> Split(string sql)
        {
            var tokens = PgTokenizer.Instance.TryTokenize(sql);
            if (!tokens.HasValue)
            {
                // Text the tokenizer cannot read (an unterminated string …) is kept whole; PostgreSQL
                // refuses it as one statement.
                return string.IsNullOrWhiteSpace(sql) ? new string[0] : new[] { sql.Trim() };
            }

            var statements = new List<string>();
            int start = 0;
            bool any = false;
            foreach (var token in tokens.Value)
            {
                if (token.Kind != SqlToken.Semicolon)
                {
                    any = true;
                    continue;
                }

                if (any)
                {
                    statements.Add(sql.Substring(start, token.Span.Position.Absolute - start).Trim());
                }

                start = token.Span.Position.Absolute + 1;
                any = false;
            }

            if (any)
            {
                statements.Add(sql.Substring(start).Trim());
            }

            return statements;
        }

        /// <summary>True when the text holds more than one statement.</summary>
        public static bool IsMultiple(string sql) => Split(sql).Skip(1).Any();
    }
}
