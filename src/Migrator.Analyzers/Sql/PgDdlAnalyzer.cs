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
    /// Reads PostgreSQL DDL (and notes DML) statement by statement and says what each does to the schema:
    /// ALTER TABLE actions (add / drop / rename / retype columns, NOT NULL, defaults, constraints and NOT
    /// VALID, VALIDATE, DETACH PARTITION), CREATE / DROP TABLE, INDEX (CONCURRENTLY or not) and VIEW,
    /// TRUNCATE, DROP SCHEMA, REINDEX, VACUUM FULL, CLUSTER, SET lock_timeout, enum changes. The hazard
    /// rules and the compatibility checker work from these effects; statements it does not know become
    /// <see cref="DdlKind.Other"/>.
    /// </summary>
    public static class PgDdlAnalyzer
    {
        /// <summary>SQL syntax that looks like a call but is not a function (none of these is volatile).</summary>
        private static readonly HashSet<string> SyntaxForms = new HashSet<string>(StringComparer.Ordinal)
        {
            "cast", "coalesce", "nullif", "greatest", "least", "extract", "trim", "row", "array", "position", "overlay",
            "current_timestamp", "current_time", "localtime", "localtimestamp", "in", "any", "all", "some", "exists",
            "values", "interval", "and", "or", "not", "is", "when", "then", "else", "as", "varying", "precision", "with", "time", "zone",
        };

        private static readonly HashSet<string> ConstraintStarts = new HashSet<string>(StringComparer.Ordinal)
        {
            "constraint", "check", "foreign", "unique", "primary", "exclude",
        };

        private static readonly HashSet<string> ColumnConstraintWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "not", "null", "default", "constraint", "primary", "unique", "references", "check", "generated", "collate",
        };

        private static TokenListParser<SqlToken, string> Kw(string word) =>
            Token.EqualToValueIgnoreCase(SqlToken.Identifier, word).Value(word);

        private static TokenListParser<SqlToken, bool> Has(params string[] words)
        {
            var parser = Kw(words[0]);
            for (int i = 1; i < words.Length; i++)
            {
                parser = parser.IgnoreThen(Kw(words[i]));
            }

            return parser.Try().Value(true).OptionalOrDefault(false);
        }

        private static readonly TokenListParser<SqlToken, string> AnyName =
            Token.EqualTo(SqlToken.Identifier).Select(t => t.ToStringValue().ToLowerInvariant())
                .Or(Token.EqualTo(SqlToken.QuotedIdentifier).Select(t =>
                {
                    string s = t.ToStringValue();
                    return s.Substring(1, s.Length - 2).Replace("\"\"", "\"");
                }));

        private static readonly TokenListParser<SqlToken, string[]> Name =
            AnyName.AtLeastOnceDelimitedBy(Token.EqualTo(SqlToken.Dot));

        private static readonly TokenListParser<SqlToken, Token<SqlToken>> Plain =
            Token.Matching<SqlToken>(k => k != SqlToken.LParen && k != SqlToken.RParen && k != SqlToken.Comma, "token");

        private static readonly TokenListParser<SqlToken, Token<SqlToken>[]> GroupRef = Parse.Ref(() => Group!);

        private static readonly TokenListParser<SqlToken, Token<SqlToken>[]> Group =
            from open in Token.EqualTo(SqlToken.LParen)
            from inner in GroupRef.Or(Plain.Select(t => new[] { t })).Or(Token.EqualTo(SqlToken.Comma).Select(t => new[] { t })).Many()
            from close in Token.EqualTo(SqlToken.RParen)
            select new[] { open }.Concat(inner.SelectMany(x => x)).Concat(new[] { close }).ToArray();

        /// <summary>Tokens up to the next comma outside parentheses (or the end), parenthesised groups whole.</summary>
        private static readonly TokenListParser<SqlToken, Token<SqlToken>[]> Rest =
            Group.Or(Plain.Select(t => new[] { t })).Many().Select(parts => parts.SelectMany(x => x).ToArray());

        private static readonly TokenListParser<SqlToken, DdlEffect> ColumnAction =
            from add in Kw("add")
            from column in Kw("column").OptionalOrDefault()
            from ifNotExists in Has("if", "not", "exists")
            from name in AnyName.Where(n => !ConstraintStarts.Contains(n))
            from rest in Rest
            select Effect(DdlKind.AddColumn, e =>
            {
                e.Column = name;
                e.Declaration = Declare(name, rest);
                e.Type = e.Declaration.Type;
                e.IfExists = ifNotExists;
            });

        private static readonly TokenListParser<SqlToken, DdlEffect> ConstraintAction =
            from add in Kw("add")
            from name in Kw("constraint").IgnoreThen(AnyName).OptionalOrDefault()
            from kind in Kw("check").Or(Kw("foreign")).Or(Kw("unique")).Or(Kw("primary")).Or(Kw("exclude"))
            from rest in Rest
            select Effect(DdlKind.AddConstraint, e =>
            {
                e.ConstraintKind = kind == "foreign" ? "foreign key" : kind == "primary" ? "primary key" : kind;
                e.NewName = name;
                e.NotValid = EndsWith(rest, "not", "valid");
                e.UsingIndex = Contains(rest, "using", "index");
                if (e.UsingIndex)
                {
                    int at = Array.FindIndex(rest, t => Word(t) == "index");
                    e.IndexName = at + 1 < rest.Length ? Identifier(rest[at + 1]) : null;
                }

                e.KeyColumns.AddRange(FirstGroupNames(rest));
                e.Column = e.KeyColumns.FirstOrDefault();
            });

        private static readonly TokenListParser<SqlToken, DdlEffect> DropConstraint =
            from drop in Kw("drop").IgnoreThen(Kw("constraint")).Try()
            from ifExists in Has("if", "exists")
            from name in AnyName
            from rest in Rest
            select Effect(DdlKind.DropConstraint, e => e.NewName = name);

        private static readonly TokenListParser<SqlToken, DdlEffect> DropColumn =
            from drop in Kw("drop")
            from column in Kw("column").OptionalOrDefault()
            from ifExists in Has("if", "exists")
            from name in AnyName
            from rest in Rest
            select Effect(DdlKind.DropColumn, e =>
            {
                e.Column = name;
                e.IfExists = ifExists;
                e.Cascade = Contains(rest, "cascade");
            });

        private static readonly TokenListParser<SqlToken, DdlEffect> AlterColumn =
            from alter in Kw("alter")
            from column in Kw("column").OptionalOrDefault()
            from name in AnyName
            from rest in Rest
            select AlterColumnEffect(name, rest);

        private static DdlEffect AlterColumnEffect(string column, Token<SqlToken>[] rest)
        {
            var words = rest.Select(Word).ToArray();
            DdlEffect Make(DdlKind kind) => Effect(kind, e => e.Column = column);
            if (StartsWith(words, "set", "not", "null"))
            {
                return Make(DdlKind.SetNotNull);
            }

            if (StartsWith(words, "drop", "not", "null"))
            {
                return Make(DdlKind.DropNotNull);
            }

            if (StartsWith(words, "set", "default"))
            {
                return Make(DdlKind.SetDefault);
            }

            if (StartsWith(words, "drop", "default"))
            {
                return Make(DdlKind.DropDefault);
            }

            int typeAt = StartsWith(words, "type") ? 1 : StartsWith(words, "set", "data", "type") ? 3 : -1;
            if (typeAt > 0)
            {
                var effect = Make(DdlKind.AlterColumnType);
                effect.Type = Text(rest.Skip(typeAt).TakeWhile(t => Word(t) is not "using" and not "collate"));
                return effect;
            }

            return Make(DdlKind.Other);
        }

        private static readonly TokenListParser<SqlToken, DdlEffect> Rename =
            from rename in Kw("rename")
            from effect in Kw("to").IgnoreThen(AnyName).Select(n => Effect(DdlKind.RenameTable, e => e.NewName = n))
                .Or(Kw("constraint").IgnoreThen(Rest).Value(Effect(DdlKind.Other, _ => { })))
                .Or(from column in Kw("column").OptionalOrDefault()
                    from oldName in AnyName
                    from newName in Kw("to").IgnoreThen(AnyName)
                    select Effect(DdlKind.RenameColumn, e =>
                    {
                        e.Column = oldName;
                        e.NewName = newName;
                    }))
            select effect;

        private static readonly TokenListParser<SqlToken, DdlEffect> Validate =
            from validate in Kw("validate").IgnoreThen(Kw("constraint"))
            from name in AnyName
            select Effect(DdlKind.ValidateConstraint, e => e.NewName = name);

        private static readonly TokenListParser<SqlToken, DdlEffect> Detach =
            from detach in Kw("detach").IgnoreThen(Kw("partition"))
            from rest in Rest
            select Effect(DdlKind.DetachPartition, e => e.Concurrently = Contains(rest, "concurrently") || Contains(rest, "finalize"));

        private static readonly TokenListParser<SqlToken, DdlEffect> OtherAction =
            Rest.Where(r => r.Length > 0).Select(r => Effect(DdlKind.Other, _ => { }));

        private static readonly TokenListParser<SqlToken, DdlEffect> Action =
            ConstraintAction.Try().Or(ColumnAction.Try()).Or(DropConstraint).Or(DropColumn.Try()).Or(AlterColumn.Try())
                .Or(Rename.Try()).Or(Validate.Try()).Or(Detach.Try()).Or(OtherAction);

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> AlterTable =
            from alter in Kw("alter").IgnoreThen(Kw("table"))
            from ifExists in Has("if", "exists")
            from only in Kw("only").OptionalOrDefault()
            from name in Name
            from star in Token.EqualTo(SqlToken.Star).OptionalOrDefault()
            from actions in Action.AtLeastOnceDelimitedBy(Token.EqualTo(SqlToken.Comma))
            select actions.Select(a => On(a, name)).ToList();

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> CreateIndex =
            from create in Kw("create")
            from unique in Has("unique")
            from index in Kw("index")
            from concurrently in Has("concurrently")
            from ifNotExists in Has("if", "not", "exists")
            from name in AnyName.Where(n => n != "on").OptionalOrDefault()
            from onWord in Kw("on")
            from only in Kw("only").OptionalOrDefault()
            from table in Name
            from rest in Rest
            select One(On(Effect(DdlKind.CreateIndex, e =>
            {
                e.Unique = unique;
                e.IfExists = ifNotExists;
                e.Concurrently = concurrently;
                e.OnlyParent = only != null;
                e.IndexName = name;
                e.KeyColumns.AddRange(FirstGroupNames(rest));
                e.Column = e.KeyColumns.FirstOrDefault();
            }), table));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> DropIndex =
            from drop in Kw("drop").IgnoreThen(Kw("index"))
            from concurrently in Has("concurrently")
            from ifExists in Has("if", "exists")
            from names in Name.AtLeastOnceDelimitedBy(Token.EqualTo(SqlToken.Comma))
            from rest in Rest
            select names.Select(n => On(Effect(DdlKind.DropIndex, e =>
            {
                e.Concurrently = concurrently;
                e.IfExists = ifExists;
            }), n)).ToList();

        private static TokenListParser<SqlToken, List<DdlEffect>> DropMany(string what, DdlKind kind) =>
            from drop in Kw("drop").IgnoreThen(Kw(what))
            from ifExists in Has("if", "exists")
            from names in Name.AtLeastOnceDelimitedBy(Token.EqualTo(SqlToken.Comma))
            from rest in Rest
            select names.Select(n => On(Effect(kind, e =>
            {
                e.IfExists = ifExists;
                e.Cascade = Contains(rest, "cascade");
            }), n)).ToList();

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> DropSchema =
            from drop in Kw("drop").IgnoreThen(Kw("schema").Or(Kw("database")))
            from rest in Rest
            select One(Effect(DdlKind.DropSchema, _ => { }));

        private static readonly TokenListParser<SqlToken, Token<SqlToken>[]> Element = Rest;

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> CreateTable =
            from create in Kw("create")
            from modifier in Kw("unlogged").Or(Kw("temporary")).Or(Kw("temp")).OptionalOrDefault()
            from table in Kw("table")
            from ifNotExists in Has("if", "not", "exists")
            from name in Name
            from elements in Element.ManyDelimitedBy(Token.EqualTo(SqlToken.Comma)).Between(Token.EqualTo(SqlToken.LParen), Token.EqualTo(SqlToken.RParen))
            from rest in Rest
            select One(On(Effect(DdlKind.CreateTable, e =>
            {
                e.IfExists = ifNotExists;
                foreach (var element in elements.Where(x => x.Length > 0))
                {
                    string first = Word(element[0]);
                    if (!ConstraintStarts.Contains(first) && first != "like")
                    {
                        e.Columns.Add(Declare(Identifier(element[0]), element.Skip(1).ToArray()));
                    }
                }
            }), name));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> CreateView =
            from create in Kw("create")
            from replace in Has("or", "replace")
            from view in Kw("view")
            from name in Name
            from columns in Group.OptionalOrDefault()
            from asWord in Kw("as")
            from rest in Rest
            select One(On(Effect(DdlKind.CreateView, e =>
            {
                var words = rest.Select(Word).ToArray();
                if (words.Length >= 4 && words[0] == "select" && rest[1].Kind == SqlToken.Star && words[2] == "from")
                {
                    e.ViewOf = string.Join(".", rest.Skip(3).Where(t => t.Kind != SqlToken.Dot).Select(Identifier));
                }
            }), name));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> Truncate =
            from truncate in Kw("truncate")
            from table in Kw("table").OptionalOrDefault()
            from only in Kw("only").OptionalOrDefault()
            from names in Name.AtLeastOnceDelimitedBy(Token.EqualTo(SqlToken.Comma))
            from rest in Rest
            select names.Select(n => On(Effect(DdlKind.Truncate, e => e.Cascade = Contains(rest, "cascade")), n)).ToList();

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> RenameSchema =
            from alter in Kw("alter").IgnoreThen(Kw("schema"))
            from name in AnyName
            from rename in Kw("rename").IgnoreThen(Kw("to"))
            from to in AnyName
            select One(Effect(DdlKind.RenameSchema, e =>
            {
                e.Table = name;
                e.NewName = to;
            }));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> AlterType =
            from alter in Kw("alter").IgnoreThen(Kw("type"))
            from name in Name
            from rest in Rest
            select One(On(Effect(DdlKind.AlterEnum, e =>
            {
                var words = rest.Select(Word).ToArray();
                e.Detail = StartsWith(words, "add", "value")
                    ? (words.Contains("before") || words.Contains("after") ? "add value before/after" : "add value")
                    : StartsWith(words, "rename", "value") ? "rename value"
                    : StartsWith(words, "rename", "to") ? "rename"
                    : StartsWith(words, "owner") || StartsWith(words, "set", "schema") ? "owner or schema"
                    : "other";
            }), name));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> AlterDomain =
            from alter in Kw("alter").IgnoreThen(Kw("domain"))
            from name in Name
            from rest in Rest
            select One(On(Effect(DdlKind.AddDomainConstraint, e =>
            {
                var words = rest.Select(Word).ToArray();
                e.ConstraintKind = StartsWith(words, "set", "not", "null") ? "not null" : words.Contains("check") ? "check" : null;
                e.NotValid = EndsWith(rest, "not", "valid");
                e.Detail = words.Length > 0 ? words[0] : "";
            }), name));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> Maintenance =
            from word in Kw("reindex").Or(Kw("vacuum")).Or(Kw("cluster"))
            from rest in Rest
            select One(Effect(
                word == "reindex" ? DdlKind.Reindex : word == "cluster" ? DdlKind.Cluster : Contains(rest, "full") ? DdlKind.VacuumFull : DdlKind.Other,
                e => e.Concurrently = Contains(rest, "concurrently")));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> SetLockTimeout =
            from set in Kw("set")
            from scope in Kw("local").Or(Kw("session")).OptionalOrDefault()
            from name in Kw("lock_timeout")
            from rest in Rest
            select One(Effect(DdlKind.SetLockTimeout, _ => { }));

        private static readonly TokenListParser<SqlToken, List<DdlEffect>> Statement =
            AlterTable.Try().Or(CreateIndex.Try()).Or(DropIndex.Try()).Or(DropMany("table", DdlKind.DropTable).Try())
                .Or(DropMany("view", DdlKind.DropView).Try()).Or(DropSchema.Try()).Or(CreateTable.Try()).Or(CreateView.Try())
                .Or(Truncate.Try()).Or(RenameSchema.Try()).Or(AlterType.Try()).Or(AlterDomain.Try()).Or(Maintenance.Try()).Or(SetLockTimeout.Try());

        /// <summary>The effects of every statement in <paramref name="sql"/>, in order.</summary>
        public static List<DdlEffect> Analyze(string sql)
        {
            var effects = new List<DdlEffect>();
            TokenList<SqlToken> tokens;
            try
            {
                tokens = PgTokenizer.Instance.Tokenize(sql);
            }
            catch (ParseException)
            {
                effects.Add(new DdlEffect(DdlKind.Other, sql) { Length = sql.Length });
                return effects;
            }

            foreach (var statement in PgSqlAnalyzer.SplitStatements(tokens))
            {
                int offset = statement[0].Position.Absolute;
                int length = statement[statement.Length - 1].Position.Absolute + statement[statement.Length - 1].Span.Length - offset;
                string text = sql.Substring(offset, length);
                string head = Word(statement[0]);
                if (head is "update" or "insert" or "delete" or "with")
                {
                    var dml = PgSqlAnalyzer.Analyze(text);
                    var kind = dml.Kind == StatementKind.Update ? DdlKind.Update : dml.Kind == StatementKind.Insert ? DdlKind.Insert : dml.Kind == StatementKind.Delete ? DdlKind.Delete : DdlKind.Other;
                    var written = dml.Tables.FirstOrDefault(t => t.Written);
                    effects.Add(new DdlEffect(kind, text) { Schema = written?.Schema, Table = written?.Name, Offset = offset, Length = length });
                    continue;
                }

                var result = Statement.AtEnd()(new TokenList<SqlToken>(statement));
                if (!result.HasValue)
                {
                    effects.Add(new DdlEffect(DdlKind.Other, text) { Offset = offset, Length = length });
                    continue;
                }

                foreach (var effect in result.Value)
                {
                    var located = WithSql(effect, text);
                    located.Offset = offset;
                    located.Length = length;
                    effects.Add(located);
                }
            }

            return effects;
        }

        private static DdlEffect WithSql(DdlEffect template, string sql)
        {
            var effect = new DdlEffect(template.Kind, sql)
            {
                Schema = template.Schema,
                Table = template.Table,
                Column = template.Column,
                NewName = template.NewName,
                Type = template.Type,
                Declaration = template.Declaration,
                ConstraintKind = template.ConstraintKind,
                NotValid = template.NotValid,
                UsingIndex = template.UsingIndex,
                Concurrently = template.Concurrently,
                OnlyParent = template.OnlyParent,
                Unique = template.Unique,
                IfExists = template.IfExists,
                Cascade = template.Cascade,
                ViewOf = template.ViewOf,
                IndexName = template.IndexName,
                Detail = template.Detail,
            };
            effect.Columns.AddRange(template.Columns);
            effect.KeyColumns.AddRange(template.KeyColumns);
            return effect;
        }

        private static DdlEffect Effect(DdlKind kind, Action<DdlEffect> fill)
        {
            var effect = new DdlEffect(kind, "");
            fill(effect);
            return effect;
        }

        private static DdlEffect On(DdlEffect effect, string[] name)
        {
            effect.Table = name[name.Length - 1];
            effect.Schema = name.Length > 1 ? name[name.Length - 2] : null;
            return effect;
        }

        private static List<DdlEffect> One(DdlEffect effect) => new List<DdlEffect> { effect };

        private static ColumnDeclaration Declare(string name, Token<SqlToken>[] rest)
        {
            var words = rest.Select(Word).ToArray();
            int end = Array.FindIndex(words, w => ColumnConstraintWords.Contains(w));
            string type = Text(rest.Take(end < 0 ? rest.Length : end));
            var constraints = TopLevelWords(rest, end < 0 ? rest.Length : end);
            bool notNull = Contains(rest, "not", "null") || Contains(rest, "primary", "key");
            int defaultAt = Array.IndexOf(words, "default");
            bool hasDefault = defaultAt >= 0;
            bool serial = type is "serial" or "bigserial" or "smallserial" or "serial2" or "serial4" or "serial8";
            bool generated = words.Contains("generated") && (words.Contains("stored") || words.Contains("identity"));
            var declaration = new ColumnDeclaration(name, type, notNull, hasDefault || serial || generated)
            {
                Generated = serial || generated,
                References = constraints.Contains("references"),
                Unique = constraints.Contains("unique"),
                PrimaryKey = constraints.Contains("primary"),
                Check = constraints.Contains("check"),
            };
            if (hasDefault)
            {
                declaration.DefaultCalls.AddRange(Calls(rest, defaultAt + 1));
            }

            return declaration;
        }

        /// <summary>The words outside parentheses from <paramref name="from"/> on: a column's constraint keywords.</summary>
        private static HashSet<string> TopLevelWords(Token<SqlToken>[] tokens, int from)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            int depth = 0;
            for (int i = 0; i < tokens.Length; i++)
            {
                depth += tokens[i].Kind == SqlToken.LParen ? 1 : tokens[i].Kind == SqlToken.RParen ? -1 : 0;
                if (i >= from && depth == 0 && tokens[i].Kind == SqlToken.Identifier)
                {
                    words.Add(Word(tokens[i]));
                }
            }

            return words;
        }

        /// <summary>The functions a default expression starting at <paramref name="from"/> calls: a name followed
        /// by '(' that is not a type after '::'. The expression ends at the next constraint keyword outside parentheses.</summary>
        private static List<string> Calls(Token<SqlToken>[] tokens, int from)
        {
            var calls = new List<string>();
            int depth = 0;
            for (int i = from; i < tokens.Length; i++)
            {
                var token = tokens[i];
                if (depth == 0 && token.Kind == SqlToken.Identifier && Word(token) is "not" or "null" or "constraint" or "primary" or "unique" or "references" or "check" or "generated" or "collate")
                {
                    break;
                }

                depth += token.Kind == SqlToken.LParen ? 1 : token.Kind == SqlToken.RParen ? -1 : 0;
                // A type after '::' (one word, or two: character varying(10)) is not a call, nor is SQL syntax
                // written like one (CAST, COALESCE, CURRENT_TIMESTAMP(3) …).
                bool afterCast = (i >= 1 && tokens[i - 1].Kind == SqlToken.Cast)
                    || (i >= 2 && tokens[i - 2].Kind == SqlToken.Cast && tokens[i - 1].Kind == SqlToken.Identifier);
                bool call = token.Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier
                    && i + 1 < tokens.Length && tokens[i + 1].Kind == SqlToken.LParen
                    && !afterCast && !(token.Kind == SqlToken.Identifier && SyntaxForms.Contains(Word(token)));
                if (call)
                {
                    calls.Add(Identifier(token));
                }
            }

            return calls;
        }

        private static string Word(Token<SqlToken> token) =>
            token.Kind == SqlToken.Identifier ? token.ToStringValue().ToLowerInvariant() : token.ToStringValue();

        private static string Identifier(Token<SqlToken> token)
        {
            string text = token.ToStringValue();
            return token.Kind == SqlToken.QuotedIdentifier ? text.Substring(1, text.Length - 2).Replace("\"\"", "\"") : text.ToLowerInvariant();
        }

        private static string Text(IEnumerable<Token<SqlToken>> tokens) =>
            string.Join(" ", tokens.Select(t => t.ToStringValue())).Replace(" (", "(").Replace("( ", "(").Replace(" )", ")").Replace(" ,", ",");

        private static bool StartsWith(string[] words, params string[] prefix) =>
            words.Length >= prefix.Length && prefix.Select((w, i) => words[i] == w).All(x => x);

        private static bool EndsWith(Token<SqlToken>[] tokens, params string[] suffix) =>
            tokens.Length >= suffix.Length && suffix.Select((w, i) => Word(tokens[tokens.Length - suffix.Length + i]) == w).All(x => x);

        private static bool Contains(Token<SqlToken>[] tokens, params string[] sequence)
        {
            for (int i = 0; i + sequence.Length <= tokens.Length; i++)
            {
                if (sequence.Select((w, j) => Word(tokens[i + j]) == w).All(x => x))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The names in the first parenthesised list: the columns of a constraint or index.</summary>
        private static IEnumerable<string> FirstGroupNames(Token<SqlToken>[] tokens)
        {
            int open = Array.FindIndex(tokens, t => t.Kind == SqlToken.LParen);
            if (open < 0)
            {
                yield break;
            }

            for (int i = open + 1; i < tokens.Length && tokens[i].Kind != SqlToken.RParen; i++)
            {
                if (tokens[i].Kind is SqlToken.Identifier or SqlToken.QuotedIdentifier && (i + 1 >= tokens.Length || tokens[i + 1].Kind != SqlToken.LParen))
                {
                    yield return Identifier(tokens[i]);
                }
            }
        }
    }
}
