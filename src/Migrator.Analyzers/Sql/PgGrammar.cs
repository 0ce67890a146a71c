// Superpower's OptionalOrDefault is not nullable-annotated; the grammar checks for null where it matters.
#pragma warning disable CS8620

using System;
using System.Collections.Generic;
using System.Linq;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace Migrator.Analyzers.Sql
{
    /// <summary>
    /// The PostgreSQL DML grammar, written with Superpower's token parser combinators: WITH (incl.
    /// data-modifying CTEs), SELECT with joins, subqueries, set operators and locking clauses, INSERT …
    /// VALUES/SELECT with ON CONFLICT and RETURNING, UPDATE … FROM, DELETE … USING. Expressions are kept
    /// as flat node lists: enough to find every column reference and subquery without modelling operator
    /// precedence.
    /// </summary>
    internal static class PgGrammar
    {
        /// <summary>Words that end an expression or a name: they can never be a column or an alias.</summary>
        private static readonly HashSet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
        {
            "select", "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect", "except",
            "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "as", "returning", "set",
            "values", "into", "window", "fetch", "for", "lateral", "with", "insert", "update", "delete", "do",
            "tablesample", "outer",
        };

        /// <summary>Words that stay inside an expression: operators, CASE, frame clauses, type-literal words.</summary>
        private static readonly HashSet<string> ExprKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "and", "or", "not", "is", "in", "between", "like", "ilike", "similar", "escape", "case", "when", "then",
            "else", "exists", "any", "all", "some", "distinct", "array", "interval", "collate", "at", "time", "zone",
            "asc", "desc", "nulls", "first", "last", "overlaps", "isnull", "notnull", "partition", "by", "rows", "range",
            "groups", "unbounded", "preceding", "following", "current", "row", "exclude", "ties", "others", "no",
            "symmetric", "to", "only", "next", "both", "leading", "trailing", "variadic", "of", "operator",
            "null", "true", "false", "end", "current_date", "current_timestamp", "current_time", "localtime",
            "localtimestamp", "current_user", "session_user", "user", "default", "current_schema", "unknown",
        };

        private static readonly HashSet<string> ValueKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "null", "true", "false", "end", "current_date", "current_timestamp", "current_time", "localtime",
            "localtimestamp", "current_user", "session_user", "user", "default", "current_schema", "unknown",
        };

        /// <summary>Keywords that are also functions when a parenthesis follows.</summary>
        private static readonly HashSet<string> CallableKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "left", "right", "row", "coalesce", "nullif", "greatest", "least", "current_date", "user", "any", "some", "all",
        };

        private static readonly HashSet<string> TypeWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "with", "without", "time", "zone", "precision", "varying",
        };

        private static TokenListParser<SqlToken, Token<SqlToken>> Tok(SqlToken kind) => Token.EqualTo(kind);

        private static TokenListParser<SqlToken, string> Keyword(string word) =>
            Token.EqualToValueIgnoreCase(SqlToken.Identifier, word).Value(word);

        private static TokenListParser<SqlToken, string> Keywords(params string[] words)
        {
            var parser = Keyword(words[0]);
            for (int i = 1; i < words.Length; i++)
            {
                parser = parser.IgnoreThen(Keyword(words[i]));
            }

            return parser.Value(string.Join(" ", words));
        }

        private static readonly TokenListParser<SqlToken, string> Ident =
            Tok(SqlToken.Identifier).Select(t => t.ToStringValue().ToLowerInvariant());

        private static readonly TokenListParser<SqlToken, string> QuotedIdent =
            Tok(SqlToken.QuotedIdentifier).Select(t =>
            {
                string text = t.ToStringValue();
                return text.Substring(1, text.Length - 2).Replace("\"\"", "\"");
            });

        /// <summary>Any identifier, keywords included (after a dot, in column lists).</summary>
        private static readonly TokenListParser<SqlToken, string> AnyName = Ident.Or(QuotedIdent);

        /// <summary>An identifier that may start a name or be an alias: not a reserved or expression keyword.</summary>
        private static readonly TokenListParser<SqlToken, string> PlainName =
            Ident.Where(n => !Reserved.Contains(n) && !ExprKeywords.Contains(n)).Or(QuotedIdent);

        private static readonly TokenListParser<SqlToken, string> AliasName =
            Ident.Where(n => !Reserved.Contains(n)).Or(QuotedIdent);

        private static readonly TokenListParser<SqlToken, SqlName> TableName =
            from first in PlainName
            from rest in Tok(SqlToken.Dot).IgnoreThen(AnyName).Many()
            select new SqlName(new[] { first }.Concat(rest).ToArray());

        private static readonly TokenListParser<SqlToken, string[]> NameList =
            AnyName.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma)).Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen));

        /// <summary>A type name after `::` or CAST … AS: `text`, `numeric(10,2)`, `timestamp with time zone`, `int[]`.</summary>
        private static readonly TokenListParser<SqlToken, string> TypeName =
            from name in AnyName.AtLeastOnceDelimitedBy(Tok(SqlToken.Dot))
            from words in Ident.Where(TypeWords.Contains).Many()
            from size in Tok(SqlToken.Number).ManyDelimitedBy(Tok(SqlToken.Comma)).Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen)).OptionalOrDefault()
            from arrays in Tok(SqlToken.LBracket).Then(_ => Tok(SqlToken.Number).OptionalOrDefault()).Then(_ => Tok(SqlToken.RBracket)).Many()
            select string.Join(".", name);

        private static readonly TokenListParser<SqlToken, SqlStatement> StatementRef = Parse.Ref(() => Statement!);

        private static readonly TokenListParser<SqlToken, SqlExpr> ExprRef = Parse.Ref(() => Expr!);

        private static readonly TokenListParser<SqlToken, SqlExpr> ArgExprRef = Parse.Ref(() => ArgExpr!);

        private static readonly TokenListParser<SqlToken, SqlExpr[]> OrderList =
            Keywords("order", "by").IgnoreThen(ExprRef.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma)));

        private static readonly TokenListParser<SqlToken, SqlExpr[]> WindowSpec =
            from name in PlainName.OptionalOrDefault()
            from partition in Keywords("partition", "by").IgnoreThen(ExprRef.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma))).OptionalOrDefault(new SqlExpr[0])
            from order in OrderList.OptionalOrDefault(new SqlExpr[0])
            from frame in ExprRef.OptionalOrDefault()
            select partition.Concat(order).Concat(frame is null ? new SqlExpr[0] : new[] { frame }).ToArray();

        private static readonly TokenListParser<SqlToken, SqlExpr[]> ParenWindow =
            WindowSpec.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen));

        /// <summary>`(args)` plus WITHIN GROUP, FILTER and OVER: the arguments and the window expressions.</summary>
        private static readonly TokenListParser<SqlToken, (SqlExpr[] Args, SqlExpr[] Window)> CallTail =
            from open in Tok(SqlToken.LParen)
            from quantifier in Keyword("distinct").Or(Keyword("all")).OptionalOrDefault()
            from args in Tok(SqlToken.Star).Value(new SqlExpr[0]).Or(ArgExprRef.ManyDelimitedBy(Tok(SqlToken.Comma)))
            from order in OrderList.OptionalOrDefault(new SqlExpr[0])
            from close in Tok(SqlToken.RParen)
            from within in Keywords("within", "group").IgnoreThen(OrderList.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen))).OptionalOrDefault(new SqlExpr[0])
            from filter in Keyword("filter").IgnoreThen(Keyword("where").IgnoreThen(ExprRef).Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen))).OptionalOrDefault()
            from over in Keyword("over").IgnoreThen(ParenWindow.Or(PlainName.Value(new SqlExpr[0]))).OptionalOrDefault(new SqlExpr[0])
            select (args.Concat(order).ToArray(), within.Concat(filter is null ? new SqlExpr[0] : new[] { filter }).Concat(over).ToArray());

        private static readonly TokenListParser<SqlToken, ExprNode> KeywordCall =
            (from name in Ident.Where(CallableKeywords.Contains)
             from tail in CallTail
             select (ExprNode)new CallNode(new SqlName(new[] { name }), tail.Args, tail.Window)).Try();

        /// <summary>`date '2024-01-01'`, `timestamptz '…'`: a type name and a string make one value.</summary>
        private static readonly TokenListParser<SqlToken, ExprNode> TypedLiteral =
            (from type in Ident.Where(n => !Reserved.Contains(n))
             from text in Tok(SqlToken.String)
             select (ExprNode)new TokenNode(type + " literal", isValue: true)).Try();

        /// <summary>A column, `alias.*`, or a function call, by what follows the dotted name.</summary>
        private static readonly TokenListParser<SqlToken, ExprNode> NameAtom =
            from first in PlainName
            from rest in Tok(SqlToken.Dot).IgnoreThen(AnyName.Or(Tok(SqlToken.Star).Value("*"))).Many()
            from call in CallTail.Select(t => (Args: t.Args, Window: t.Window, Called: true)).OptionalOrDefault()
            select Name(new[] { first }.Concat(rest).ToArray(), call.Called ? call : ((SqlExpr[], SqlExpr[], bool)?)null);

        private static ExprNode Name(string[] parts, (SqlExpr[] Args, SqlExpr[] Window, bool Called)? call)
        {
            if (parts[parts.Length - 1] == "*")
            {
                return new StarNode(parts.Length == 1 ? null : new SqlName(parts.Take(parts.Length - 1).ToArray()));
            }

            return call is { } c ? new CallNode(new SqlName(parts), c.Args, c.Window) : new ColumnNode(new SqlName(parts));
        }

        private static readonly TokenListParser<SqlToken, ExprNode> ParenAtom =
            StatementRef.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen)).Select(q => (ExprNode)new SubqueryNode(q)).Try()
            .Or(ArgExprRef.ManyDelimitedBy(Tok(SqlToken.Comma)).Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen)).Select(items => (ExprNode)new ListNode(items)));

        private static readonly TokenListParser<SqlToken, ExprNode> BracketAtom =
            ArgExprRef.ManyDelimitedBy(Tok(SqlToken.Comma)).Between(Tok(SqlToken.LBracket), Tok(SqlToken.RBracket)).Select(items => (ExprNode)new ListNode(items));

        private static readonly TokenListParser<SqlToken, ExprNode> Literal =
            Tok(SqlToken.String).Or(Tok(SqlToken.Number)).Or(Tok(SqlToken.Parameter))
                .Select(t => (ExprNode)new TokenNode(t.ToStringValue(), isValue: true));

        private static readonly TokenListParser<SqlToken, ExprNode> OperatorAtom =
            Tok(SqlToken.Operator).Or(Tok(SqlToken.Star)).Select(t => (ExprNode)new TokenNode(t.ToStringValue(), isValue: false));

        private static readonly TokenListParser<SqlToken, ExprNode> CastAtom =
            Tok(SqlToken.Cast).IgnoreThen(TypeName).Select(t => (ExprNode)new TokenNode("::" + t, isValue: true));

        private static readonly TokenListParser<SqlToken, ExprNode> IsDistinctFrom =
            (from isWord in Keyword("is")
             from not in Keyword("not").OptionalOrDefault()
             from distinct in Keyword("distinct")
             from fromWord in Keyword("from")
             select (ExprNode)new TokenNode("is distinct from", isValue: false)).Try();

        private static readonly TokenListParser<SqlToken, ExprNode> KeywordAtom =
            Ident.Where(ExprKeywords.Contains).Select(k => (ExprNode)new TokenNode(k, ValueKeywords.Contains(k)));

        /// <summary>
        /// One expression atom. The alternatives are picked by the next token rather than tried in turn:
        /// an expression ends where no atom starts, and trying ten alternatives (each building its own
        /// failure) at every expression end made parsing ten times slower (bench `sql`).
        /// </summary>
        private static readonly TokenListParser<SqlToken, ExprNode> Atom = input =>
        {
            var next = input.ConsumeToken();
            if (!next.HasValue)
            {
                return TokenListParserResult.Empty<SqlToken, ExprNode>(input);
            }

            switch (next.Value.Kind)
            {
                case SqlToken.LParen:
                    return ParenAtom(input);
                case SqlToken.LBracket:
                    return BracketAtom(input);
                case SqlToken.String:
                case SqlToken.Number:
                case SqlToken.Parameter:
                    return Literal(input);
                case SqlToken.Operator:
                case SqlToken.Star:
                    return OperatorAtom(input);
                case SqlToken.Cast:
                    return CastAtom(input);
                case SqlToken.QuotedIdentifier:
                    return NameAtom(input);
                case SqlToken.Identifier:
                    string word = next.Value.ToStringValue().ToLowerInvariant();
                    var after = next.Remainder.ConsumeToken();
                    var afterKind = after.HasValue ? after.Value.Kind : (SqlToken?)null;
                    if (word == "is")
                    {
                        var distinct = IsDistinctFrom(input);
                        return distinct.HasValue ? distinct : KeywordAtom(input);
                    }

                    if (afterKind == SqlToken.LParen && CallableKeywords.Contains(word))
                    {
                        // any(…) / all(…) may also be a keyword before a subquery: `> ALL (SELECT …)`.
                        var call = KeywordCall(input);
                        if (call.HasValue || !ExprKeywords.Contains(word))
                        {
                            return call;
                        }
                    }

                    if (afterKind == SqlToken.String && !Reserved.Contains(word))
                    {
                        return TypedLiteral(input);
                    }

                    if (ExprKeywords.Contains(word))
                    {
                        return KeywordAtom(input);
                    }

                    return Reserved.Contains(word) ? TokenListParserResult.Empty<SqlToken, ExprNode>(input) : NameAtom(input);
                default:
                    return TokenListParserResult.Empty<SqlToken, ExprNode>(input);
            }
        };

        /// <summary>Inside a call the SQL-standard function forms add FROM / FOR / AS type: EXTRACT(x FROM y),
        /// SUBSTRING(a FROM 1 FOR 2), CAST(x AS int), TRIM(BOTH ' ' FROM s).</summary>
        private static readonly TokenListParser<SqlToken, ExprNode> CallAtom =
            Atom.Or(Keyword("from").Or(Keyword("for")).Select(k => (ExprNode)new TokenNode(k, isValue: false)))
                .Or(Keyword("as").IgnoreThen(TypeName).Select(t => (ExprNode)new TokenNode("as " + t, isValue: true)));

        public static readonly TokenListParser<SqlToken, SqlExpr> Expr = Atom.AtLeastOnce().Select(nodes => new SqlExpr(nodes));

        private static readonly TokenListParser<SqlToken, SqlExpr> ArgExpr = CallAtom.AtLeastOnce().Select(nodes => new SqlExpr(nodes));

        private static readonly TokenListParser<SqlToken, SqlExpr[]> ExprList = Expr.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma));

        private static readonly TokenListParser<SqlToken, SelectItem> SelectItemParser =
            Tok(SqlToken.Star).Value(new SelectItem(new SqlExpr(new ExprNode[] { new StarNode(null) }), null)).Or(
            from expr in Expr
            from alias in Keyword("as").IgnoreThen(AnyName).OptionalOrDefault()
            select alias is null ? ImplicitAlias(expr) : new SelectItem(expr, alias));

        /// <summary>`expr name` without AS: two values side by side can only be an expression and its alias.</summary>
        private static SelectItem ImplicitAlias(SqlExpr expr)
        {
            var nodes = expr.Nodes;
            if (nodes.Count >= 2 && nodes[nodes.Count - 1] is ColumnNode { Name.Parts.Count: 1 } last && IsValue(nodes[nodes.Count - 2]))
            {
                return new SelectItem(new SqlExpr(nodes.Take(nodes.Count - 1).ToArray()), last.Name.Last);
            }

            return new SelectItem(expr, null);
        }

        private static bool IsValue(ExprNode node) => node is not TokenNode token || token.IsValue;

        private static readonly TokenListParser<SqlToken, SelectItem[]> SelectItems =
            SelectItemParser.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma));

        private static readonly TokenListParser<SqlToken, string?> Alias =
            Keyword("as").IgnoreThen(AnyName).Or(AliasName.Where(n => !ExprKeywords.Contains(n) || n == "user")).OptionalOrDefault();

        private static readonly TokenListParser<SqlToken, string[]> ColumnAliases = NameList.OptionalOrDefault(new string[0]);

        private static readonly TokenListParser<SqlToken, FromItem> FromItemRef = Parse.Ref(() => FromItemParser!);

        private static readonly TokenListParser<SqlToken, FromItem> SubqueryFromParser =
            (from lateral in Keyword("lateral").OptionalOrDefault()
             from query in StatementRef.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen))
             from alias in Alias
             from columns in ColumnAliases
             select (FromItem)new SubqueryFrom(query, alias, columns)).Try();

        private static readonly TokenListParser<SqlToken, FromItem> NestedJoin =
            FromItemRef.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen)).Try();

        private static readonly TokenListParser<SqlToken, FromItem> FunctionFromParser =
            (from lateral in Keyword("lateral").OptionalOrDefault()
             from name in TableName.Or(Ident.Where(CallableKeywords.Contains).Select(n => new SqlName(new[] { n })))
             from tail in CallTail
             from ordinality in Keywords("with", "ordinality").OptionalOrDefault()
             from alias in Alias
             from columns in ColumnAliases
             select (FromItem)new FunctionFrom(new CallNode(name, tail.Args, tail.Window), alias, columns)).Try();

        private static readonly TokenListParser<SqlToken, TableFrom> TableFromParser =
            from only in Keyword("only").OptionalOrDefault()
            from name in TableName
            from star in Tok(SqlToken.Star).OptionalOrDefault()
            from alias in Alias
            select new TableFrom(name, alias);

        private static readonly TokenListParser<SqlToken, FromItem> FromPrimary =
            SubqueryFromParser.Or(NestedJoin).Or(FunctionFromParser).Or(TableFromParser.Select(t => (FromItem)t));

        private static readonly TokenListParser<SqlToken, string> JoinKind =
            from natural in Keyword("natural").OptionalOrDefault()
            from kind in Keyword("inner")
                .Or(Keyword("left").Then(_ => Keyword("outer").OptionalOrDefault()).Value("left"))
                .Or(Keyword("right").Then(_ => Keyword("outer").OptionalOrDefault()).Value("right"))
                .Or(Keyword("full").Then(_ => Keyword("outer").OptionalOrDefault()).Value("full"))
                .Or(Keyword("cross"))
                .OptionalOrDefault("inner")
            from joinWord in Keyword("join")
            select kind;

        private static readonly TokenListParser<SqlToken, (FromItem Right, SqlExpr? On, string[] Using)> JoinTail =
            from kind in JoinKind
            from right in FromPrimary
            from onExpr in Keyword("on").IgnoreThen(Expr).OptionalOrDefault()
            from usingColumns in Keyword("using").IgnoreThen(NameList).OptionalOrDefault(new string[0])
            select (right, onExpr, usingColumns);

        private static readonly TokenListParser<SqlToken, FromItem> FromItemParser =
            from first in FromPrimary
            from joins in JoinTail.Many()
            select joins.Aggregate(first, (left, j) => (FromItem)new JoinFrom(left, j.Right, j.On, j.Using));

        private static readonly TokenListParser<SqlToken, FromItem[]> FromList =
            FromItemParser.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma));

        private static readonly TokenListParser<SqlToken, SqlExpr[]> WindowClause =
            Keyword("window").IgnoreThen(
                (from name in AnyName
                 from asWord in Keyword("as")
                 from spec in ParenWindow
                 select spec).AtLeastOnceDelimitedBy(Tok(SqlToken.Comma)).Select(specs => specs.SelectMany(s => s).ToArray()));

        private static readonly TokenListParser<SqlToken, SelectCore> SelectCoreParser =
            from selectWord in Keyword("select")
            from distinctOn in Keyword("all").Value(new SqlExpr[0])
                .Or(Keyword("distinct").IgnoreThen(Keyword("on").IgnoreThen(ExprList.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen))).OptionalOrDefault(new SqlExpr[0])))
                .OptionalOrDefault(new SqlExpr[0])
            from items in SelectItems.OptionalOrDefault(new SelectItem[0])
            from fromItems in Keyword("from").IgnoreThen(FromList).OptionalOrDefault(new FromItem[0])
            from whereExpr in Keyword("where").IgnoreThen(Expr).OptionalOrDefault()
            from groupBy in Keywords("group", "by").IgnoreThen(Keyword("all").Or(Keyword("distinct")).OptionalOrDefault()).IgnoreThen(ExprList).OptionalOrDefault(new SqlExpr[0])
            from having in Keyword("having").IgnoreThen(Expr).OptionalOrDefault()
            from window in WindowClause.OptionalOrDefault(new SqlExpr[0])
            select new SelectCore(distinctOn, items, fromItems, Present(whereExpr).Concat(groupBy).Concat(Present(having)).Concat(window).ToArray());

        private static IEnumerable<SqlExpr> Present(SqlExpr? expr) => expr is null ? Enumerable.Empty<SqlExpr>() : new[] { expr };

        private static readonly TokenListParser<SqlToken, SelectStatement> QueryRef = Parse.Ref(() => Query!);

        private static readonly TokenListParser<SqlToken, object> Term =
            SelectCoreParser.Select(c => (object)c)
                .Or(Keyword("values").IgnoreThen(ExprList).Select(rows => (object)new ValuesRows(rows)))
                .Or(QueryRef.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen)).Select(q => (object)q));

        private static readonly TokenListParser<SqlToken, string> SetOperator =
            from op in Keyword("union").Or(Keyword("intersect")).Or(Keyword("except"))
            from quantifier in Keyword("all").Or(Keyword("distinct")).OptionalOrDefault()
            select op;

        /// <summary>FOR UPDATE / SHARE / NO KEY UPDATE / KEY SHARE [OF t] [NOWAIT | SKIP LOCKED].</summary>
        private static readonly TokenListParser<SqlToken, SqlExpr[]> LockingClause =
            Keyword("for").IgnoreThen(Ident.Or(Tok(SqlToken.Comma).Value(",")).AtLeastOnce()).Value(new SqlExpr[0]);

        private static readonly TokenListParser<SqlToken, SqlExpr[]> TailClause =
            OrderList
                .Or(Keyword("limit").IgnoreThen(Expr).Select(e => new[] { e }))
                .Or(Keyword("offset").IgnoreThen(Expr).Select(e => new[] { e }))
                .Or(Keyword("fetch").IgnoreThen(Expr).Select(e => new[] { e }))
                .Or(LockingClause);

        public static readonly TokenListParser<SqlToken, SelectStatement> Query =
            from first in Term
            from rest in SetOperator.IgnoreThen(Term).Many()
            from tail in TailClause.Many()
            select new SelectStatement(new[] { first }.Concat(rest).ToArray(), tail.SelectMany(t => t).ToArray());

        private static readonly TokenListParser<SqlToken, SelectItem[]> Returning =
            Keyword("returning").IgnoreThen(SelectItems).OptionalOrDefault(new SelectItem[0]);

        private static readonly TokenListParser<SqlToken, SetClause> SetItem =
            (from column in AnyName
             from subfield in Tok(SqlToken.Dot).IgnoreThen(AnyName).Value(true).Or(BracketAtom.Value(true)).Many()
             from eq in Token.EqualToValue(SqlToken.Operator, "=")
             from value in Expr
             select new SetClause(new[] { column }, value))
            .Or(from columns in NameList
                from eq in Token.EqualToValue(SqlToken.Operator, "=")
                from row in Keyword("row").OptionalOrDefault()
                from value in Expr
                select new SetClause(columns, value));

        private static readonly TokenListParser<SqlToken, SetClause[]> SetList =
            Keyword("set").IgnoreThen(SetItem.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma)));

        private static readonly TokenListParser<SqlToken, OnConflict> OnConflictParser =
            from onExpr in Keywords("on", "conflict")
            from target in ArgExprRef.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma)).Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen))
                    .Then(t => Keyword("where").IgnoreThen(Expr).Select(w => t.Concat(new[] { w }).ToArray()).OptionalOrDefault(t))
                .Or(Keywords("on", "constraint").IgnoreThen(AnyName).Value(new SqlExpr[0]))
                .OptionalOrDefault(new SqlExpr[0])
            from doWord in Keyword("do")
            from action in Keyword("nothing").Value((Set: new SetClause[0], Where: new SqlExpr[0]))
                .Or(from updateWord in Keyword("update")
                    from set in SetList
                    from whereExpr in Keyword("where").IgnoreThen(Expr).OptionalOrDefault()
                    select (Set: set, Where: Present(whereExpr).ToArray()))
            select new OnConflict(target, action.Set, action.Where);

        private static readonly TokenListParser<SqlToken, SqlStatement> Insert =
            from insertWord in Keywords("insert", "into")
            from name in TableName
            from alias in Keyword("as").IgnoreThen(AnyName).OptionalOrDefault()
            from columns in NameList.Try().OptionalOrDefault()
            from source in Keywords("default", "values").Value((SelectStatement?)null).Or(Query.Select(q => (SelectStatement?)q))
            from onConflict in OnConflictParser.OptionalOrDefault()
            from returning in Returning
            select (SqlStatement)new InsertStatement(new TableFrom(name, alias), columns, source, onConflict, returning);

        private static readonly TokenListParser<SqlToken, SqlStatement> Update =
            from updateWord in Keyword("update")
            from only in Keyword("only").OptionalOrDefault()
            from name in TableName
            from alias in Alias
            from set in SetList
            from fromItems in Keyword("from").IgnoreThen(FromList).OptionalOrDefault(new FromItem[0])
            from whereExpr in Keyword("where").IgnoreThen(Expr).OptionalOrDefault()
            from returning in Returning
            select (SqlStatement)new UpdateStatement(new TableFrom(name, alias), set, fromItems, Present(whereExpr).ToArray(), returning);

        private static readonly TokenListParser<SqlToken, SqlStatement> Delete =
            from deleteWord in Keywords("delete", "from")
            from only in Keyword("only").OptionalOrDefault()
            from name in TableName
            from alias in Alias
            from usingItems in Keyword("using").IgnoreThen(FromList).OptionalOrDefault(new FromItem[0])
            from whereExpr in Keyword("where").IgnoreThen(Expr).OptionalOrDefault()
            from returning in Returning
            select (SqlStatement)new DeleteStatement(new TableFrom(name, alias), usingItems, Present(whereExpr).ToArray(), returning);

        private static readonly TokenListParser<SqlToken, CommonTable> Cte =
            from name in AnyName
            from columns in ColumnAliases
            from asWord in Keyword("as")
            from materialized in Keyword("not").OptionalOrDefault().Then(_ => Keyword("materialized")).Try().OptionalOrDefault()
            from body in StatementRef.Between(Tok(SqlToken.LParen), Tok(SqlToken.RParen))
            select new CommonTable(name, columns, body);

        private static readonly TokenListParser<SqlToken, CommonTable[]> With =
            from withCtes in Keyword("with")
            from recursive in Keyword("recursive").OptionalOrDefault()
            from ctes in Cte.AtLeastOnceDelimitedBy(Tok(SqlToken.Comma))
            select ctes;

        public static readonly TokenListParser<SqlToken, SqlStatement> Statement =
            from withCtes in With.OptionalOrDefault(new CommonTable[0])
            from body in Insert.Or(Update).Or(Delete).Or(Query.Select(q => (SqlStatement)q))
            select WithCtes(body, withCtes);

        private static SqlStatement WithCtes(SqlStatement statement, CommonTable[] with)
        {
            if (with.Length > 0)
            {
                statement.With = with;
            }

            return statement;
        }

        /// <summary>A whole statement and nothing after it but semicolons.</summary>
        public static readonly TokenListParser<SqlToken, SqlStatement> Complete =
            Statement.Then(s => Tok(SqlToken.Semicolon).Many().Value(s)).AtEnd();
    }
}
