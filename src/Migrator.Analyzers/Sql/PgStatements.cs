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

        /// <summary>
        /// What a statement does to the transaction it runs in, read from its first words (comments skipped):
        /// BEGIN / START TRANSACTION open one; COMMIT, END, ABORT, ROLLBACK and PREPARE TRANSACTION end one;
        /// SAVEPOINT, RELEASE and ROLLBACK TO act inside one.
        /// </summary>
        public static TransactionControl Control(string statement)
        {
            var tokens = PgTokenizer.Instance.TryTokenize(statement);
            if (!tokens.HasValue)
            {
                return TransactionControl.None;
            }

            var words = tokens.Value.Take(2).Select(t => t.Kind == SqlToken.Identifier ? t.ToStringValue().ToLowerInvariant() : "").ToArray();
            string first = words.Length > 0 ? words[0] : "";
            string second = words.Length > 1 ? words[1] : "";
            switch (first)
            {
                case "begin":
                case "start" when second == "transaction":
                    return TransactionControl.Begin;
                case "rollback" when second == "to":
                case "savepoint":
                case "release":
                    return TransactionControl.Inside;
                case "commit":
                case "end":
                case "abort":
                case "rollback":
                case "prepare" when second == "transaction":
                    return TransactionControl.End;
                default:
                    return TransactionControl.None;
            }
        }

        /// <summary>True when the text holds more than one statement.</summary>
        public static bool IsMultiple(string sql) => Split(sql).Skip(1).Any();
    }

    /// <summary>What a statement does to its transaction (<see cref="PgStatements.Control"/>).</summary>
    public enum TransactionControl
    {
        None,
        Begin,
        End,
        Inside,
    }
}
