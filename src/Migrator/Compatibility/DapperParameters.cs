using System.Text;
using Migrator.Analyzers.Sql;
using Superpower;

namespace Migrator.Compatibility;

/// <summary>Rewrites Dapper's named parameters (@name) as PostgreSQL's positional ones ($1, $2 …), the
/// way Npgsql does before sending a command; strings, quoted names and comments are left alone.</summary>
public static class DapperParameters
{
    public static string ToPositional(string sql)
    {
        var tokens = PgTokenizer.Instance.Tokenize(sql);
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var builder = new StringBuilder(sql.Length);
        int copied = 0;
        foreach (var token in tokens)
        {
            string text = token.ToStringValue();
            if (token.Kind != SqlToken.Parameter || !text.StartsWith('@'))
            {
                continue;
            }

            if (!positions.TryGetValue(text, out int position))
            {
                position = positions[text] = positions.Count + 1;
            }

            builder.Append(sql, copied, token.Position.Absolute - copied).Append('$').Append(position);
            copied = token.Position.Absolute + token.Span.Length;
        }

        return builder.Append(sql, copied, sql.Length - copied).ToString();
    }
}
