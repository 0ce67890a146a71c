using Superpower;
using Superpower.Parsers;
using Superpower.Tokenizers;

namespace Migrator.Analyzers.Sql
{
    /// <summary>Splits PostgreSQL text into tokens: identifiers (plain and "quoted"), strings ('…', E'…',
    /// $tag$…$tag$), numbers, Dapper parameters (@name) and positional ones ($1), punctuation, `::` casts
    /// and operators. Comments and white space are dropped.</summary>
    public static class PgTokenizer
    {
        public static Tokenizer<SqlToken> Instance { get; } = new TokenizerBuilder<SqlToken>()
            .Ignore(Span.WhiteSpace)
            .Ignore(Span.Regex(@"--[^\n]*"))
            .Ignore(Span.Regex(@"/\*[\s\S]*?\*/"))
            .Match(Span.Regex(@"[Ee]'(\\.|''|[^'\\])*'"), SqlToken.String, requireDelimiters: true)
            .Match(Span.Regex(@"'(''|[^'])*'"), SqlToken.String)
            .Match(Span.Regex(@"\$([A-Za-z_][A-Za-z0-9_]*|)\$[\s\S]*?\$\1\$"), SqlToken.String)
            .Match(Span.Regex(@"""(""""|[^""])*"""), SqlToken.QuotedIdentifier)
            .Match(Span.Regex(@"::"), SqlToken.Cast)
            .Match(Span.Regex(@"@[A-Za-z_][A-Za-z0-9_]*"), SqlToken.Parameter)
            .Match(Span.Regex(@"\$[0-9]+"), SqlToken.Parameter)
            .Match(Span.Regex(@"[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*"), SqlToken.Identifier, requireDelimiters: true)
            .Match(Span.Regex(@"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"), SqlToken.Number, requireDelimiters: true)
            .Match(Character.EqualTo('('), SqlToken.LParen)
            .Match(Character.EqualTo(')'), SqlToken.RParen)
            .Match(Character.EqualTo('['), SqlToken.LBracket)
            .Match(Character.EqualTo(']'), SqlToken.RBracket)
            .Match(Character.EqualTo(','), SqlToken.Comma)
            .Match(Character.EqualTo('.'), SqlToken.Dot)
            .Match(Character.EqualTo(';'), SqlToken.Semicolon)
            .Match(Character.EqualTo('*'), SqlToken.Star)
            .Match(Span.Regex(@"[+\-/<>=~!@#%^&|`?:]+"), SqlToken.Operator)
            .Build();
    }
}
