namespace Migrator.Analyzers.Sql
{
    /// <summary>The token kinds of PostgreSQL DML as the analyser sees it. Keywords are identifiers;
    /// the grammar tells them apart by value.</summary>
    public enum SqlToken
    {
        Identifier,
        QuotedIdentifier,
        String,
        Number,
        Parameter,
        LParen,
        RParen,
        LBracket,
        RBracket,
        Comma,
        Dot,
        Semicolon,
        Cast,
        Star,
        Operator,
    }
}
