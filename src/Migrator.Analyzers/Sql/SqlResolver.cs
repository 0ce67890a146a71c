using System;
using System.Collections.Generic;
using System.Linq;

namespace Migrator.Analyzers.Sql
{
    /// <summary>
    /// Walks a parsed statement with SQL's name scopes: CTEs, FROM items with their aliases, subqueries that
    /// see their outer query (correlation), select-list aliases in ORDER BY. Each column reference is tied
    /// to the table it belongs to; an unqualified name among several tables is settled by the schema when
    /// one is given, and reported as unresolved rather than guessed when it is not.
    /// </summary>
    internal sealed class SqlResolver
    {
        private readonly SqlAnalysis _analysis;
        private readonly ISchemaLookup? _schema;

        public SqlResolver(SqlAnalysis analysis, ISchemaLookup? schema)
        {
            _analysis = analysis;
            _schema = schema;
        }

        private sealed class Source
        {
            public string? Alias;
            public string? Schema;
            public string? Table;

            /// <summary>Output columns of a derived source (CTE, subquery, function); null when unknown.</summary>
            public IReadOnlyList<string>? Columns;

            /// <summary>The ON CONFLICT pseudo-table `excluded`: names the target's columns, reads nothing.</summary>
            public bool Silent;

            public bool IsTable => Table is not null && !Silent;

            public bool Answers(string qualifier) =>
                Alias is not null ? Alias == qualifier : Table == qualifier;
        }

        private sealed class Scope
        {
            public Scope(Scope? parent) => Parent = parent;

            public Scope? Parent { get; }

            public List<Source> Sources { get; } = new List<Source>();

            public Dictionary<string, IReadOnlyList<string>?> Ctes { get; } = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);

            public HashSet<string> OutputNames { get; } = new HashSet<string>(StringComparer.Ordinal);

            public bool TryCte(string name, out IReadOnlyList<string>? columns)
            {
                for (var scope = this; scope is not null; scope = scope.Parent)
                {
                    if (scope.Ctes.TryGetValue(name, out columns))
                    {
                        return true;
                    }
                }

                columns = null;
                return false;
            }
        }

        public void Resolve(SqlStatement statement) => Statement(statement, null);

        private IReadOnlyList<string>? Statement(SqlStatement statement, Scope? outer)
        {
            var scope = new Scope(outer);
            foreach (var cte in statement.With)
            {
                scope.Ctes[cte.Name] = cte.Columns.Count > 0 ? cte.Columns : null;
                var output = Statement(cte.Body, scope);
                scope.Ctes[cte.Name] = cte.Columns.Count > 0 ? cte.Columns : output;
            }

            return statement switch
            {
                SelectStatement select => Select(select, scope),
                InsertStatement insert => Insert(insert, scope),
                UpdateStatement update => Update(update, scope),
                DeleteStatement delete => Delete(delete, scope),
                _ => null,
            };
        }

        private IReadOnlyList<string>? Select(SelectStatement select, Scope scope)
        {
            IReadOnlyList<string>? output = null;
            Scope? firstScope = null;
            for (int i = 0; i < select.Terms.Count; i++)
            {
                IReadOnlyList<string>? termOutput;
                Scope? termScope = null;
                switch (select.Terms[i])
                {
                    case SelectCore core:
                        termScope = new Scope(scope);
                        termOutput = Core(core, termScope);
                        break;
                    case ValuesRows values:
                        foreach (var row in values.Rows)
                        {
                            Expr(row, scope);
                        }

                        int width = values.Rows.Count > 0 && values.Rows[0].Nodes.Count == 1 && values.Rows[0].Nodes[0] is ListNode list ? list.Items.Count : 1;
                        termOutput = Enumerable.Range(1, width).Select(n => "column" + n).ToArray();
                        break;
                    case SelectStatement nested:
                        termOutput = Statement(nested, scope);
                        break;
                    default:
                        termOutput = null;
                        break;
                }

                if (i == 0)
                {
                    output = termOutput;
                    firstScope = termScope;
                }
            }

            var tailScope = firstScope ?? new Scope(scope);
            foreach (var name in output ?? Array.Empty<string>())
            {
                tailScope.OutputNames.Add(name);
            }

            foreach (var expr in select.Tail)
            {
                Expr(expr, tailScope);
            }

            return output;
        }

        private IReadOnlyList<string>? Core(SelectCore core, Scope scope)
        {
            foreach (var item in core.From)
            {
                From(item, scope);
            }

            foreach (var item in core.From)
            {
                JoinConditions(item, scope);
            }

            foreach (var expr in core.DistinctOn)
            {
                Expr(expr, scope);
            }

            var output = new List<string>();
            bool known = true;
            foreach (var item in core.Items)
            {
                Expr(item.Expr, scope);
                if (item.Alias is not null)
                {
                    output.Add(item.Alias);
                }
                else if (item.Expr.Nodes.Count == 1 && item.Expr.Nodes[0] is ColumnNode column)
                {
                    output.Add(column.Name.Last);
                }
                else if (item.Expr.Nodes.Count >= 1 && item.Expr.Nodes[0] is CallNode call)
                {
                    output.Add(call.Name.Last);
                }
                else if (item.Expr.Nodes.Count == 1 && item.Expr.Nodes[0] is StarNode)
                {
                    known = false;
                }
                else
                {
                    output.Add("?column?");
                }
            }

            foreach (var name in output)
            {
                scope.OutputNames.Add(name);
            }

            // WHERE and HAVING cannot see select-list aliases; GROUP BY can, but names a column first.
            var clauses = new Scope(scope.Parent);
            clauses.Sources.AddRange(scope.Sources);
            foreach (var expr in core.Clauses)
            {
                Expr(expr, clauses, fallback: scope);
            }

            return known ? output : null;
        }

        private void From(FromItem item, Scope scope)
        {
            switch (item)
            {
                case TableFrom table:
                    AddTable(table, scope, written: false);
                    break;
                case SubqueryFrom subquery:
                    var columns = Statement(subquery.Query, scope);
                    scope.Sources.Add(new Source { Alias = subquery.Alias, Columns = subquery.Columns.Count > 0 ? subquery.Columns : columns });
                    break;
                case FunctionFrom function:
                    Call(function.Call, scope);
                    scope.Sources.Add(new Source
                    {
                        Alias = function.Alias ?? function.Call.Name.Last,
                        Columns = function.Columns.Count > 0 ? function.Columns : new[] { function.Alias ?? function.Call.Name.Last },
                    });
                    break;
                case JoinFrom join:
                    From(join.Left, scope);
                    From(join.Right, scope);
                    break;
            }
        }

        private void JoinConditions(FromItem item, Scope scope)
        {
            if (item is not JoinFrom join)
            {
                return;
            }

            JoinConditions(join.Left, scope);
            JoinConditions(join.Right, scope);
            if (join.On is not null)
            {
                Expr(join.On, scope);
            }

            foreach (var column in join.Using)
            {
                foreach (var source in Leaves(join.Left).Concat(Leaves(join.Right)))
                {
                    if (source is TableFrom table)
                    {
                        var (schema, name) = Split(table.Name);
                        _analysis.AddColumn(schema, name, column, ColumnAccess.Read);
                    }
                }
            }
        }

        private static IEnumerable<FromItem> Leaves(FromItem item) =>
            item is JoinFrom join ? Leaves(join.Left).Concat(Leaves(join.Right)) : new[] { item };

        private Source AddTable(TableFrom table, Scope scope, bool written)
        {
            if (table.Name.Parts.Count == 1 && scope.TryCte(table.Name.Last, out var cteColumns))
            {
                var cte = new Source { Alias = table.Alias ?? table.Name.Last, Columns = cteColumns };
                scope.Sources.Add(cte);
                return cte;
            }

            var (schema, name) = Split(table.Name);
            _analysis.AddTable(schema, name, written);
            var source = new Source { Alias = table.Alias, Schema = schema, Table = name };
            scope.Sources.Add(source);
            return source;
        }

        private static (string? Schema, string Name) Split(SqlName name) =>
            name.Parts.Count >= 2 ? (name.Parts[name.Parts.Count - 2], name.Last) : (null, name.Last);

        private IReadOnlyList<string>? Insert(InsertStatement insert, Scope scope)
        {
            if (insert.Source is not null)
            {
                Statement(insert.Source, scope);
            }

            var targetScope = new Scope(scope);
            var target = AddTable(insert.Target, targetScope, written: true);
            if (!target.IsTable)
            {
                return null;
            }

            if (insert.Columns is null)
            {
                _analysis.InsertsWithoutColumnList.Add(new TableUse(target.Schema, target.Table!, written: true));
            }
            else
            {
                foreach (var column in insert.Columns)
                {
                    _analysis.AddColumn(target.Schema, target.Table!, column, ColumnAccess.Write);
                }
            }

            if (insert.OnConflict is { } conflict)
            {
                var conflictScope = new Scope(scope);
                conflictScope.Sources.Add(target);
                conflictScope.Sources.Add(new Source { Alias = "excluded", Schema = target.Schema, Table = target.Table, Silent = true });
                foreach (var expr in conflict.Target.Concat(conflict.Where))
                {
                    Expr(expr, conflictScope);
                }

                Set(conflict.Set, target, conflictScope);
            }

            return Returning(insert.Returning, targetScope);
        }

        private IReadOnlyList<string>? Update(UpdateStatement update, Scope scope)
        {
            var inner = new Scope(scope);
            var target = AddTable(update.Target, inner, written: true);
            foreach (var item in update.From)
            {
                From(item, inner);
            }

            foreach (var item in update.From)
            {
                JoinConditions(item, inner);
            }

            Set(update.Set, target, inner);
            foreach (var expr in update.Where)
            {
                Expr(expr, inner);
            }

            return Returning(update.Returning, inner);
        }

        private IReadOnlyList<string>? Delete(DeleteStatement delete, Scope scope)
        {
            var inner = new Scope(scope);
            AddTable(delete.Target, inner, written: true);
            foreach (var item in delete.Using)
            {
                From(item, inner);
            }

            foreach (var item in delete.Using)
            {
                JoinConditions(item, inner);
            }

            foreach (var expr in delete.Where)
            {
                Expr(expr, inner);
            }

            return Returning(delete.Returning, inner);
        }

        private void Set(IReadOnlyList<SetClause> set, Source target, Scope scope)
        {
            foreach (var clause in set)
            {
                foreach (var column in clause.Columns)
                {
                    if (target.IsTable)
                    {
                        _analysis.AddColumn(target.Schema, target.Table!, column, ColumnAccess.Write);
                    }
                }

                Expr(clause.Value, scope);
            }
        }

        private IReadOnlyList<string> Returning(IReadOnlyList<SelectItem> items, Scope scope)
        {
            var output = new List<string>();
            foreach (var item in items)
            {
                Expr(item.Expr, scope);
                output.Add(item.Alias ?? (item.Expr.Nodes.Count == 1 && item.Expr.Nodes[0] is ColumnNode c ? c.Name.Last : "?column?"));
            }

            return output;
        }

        private void Expr(SqlExpr expr, Scope scope, Scope? fallback = null)
        {
            for (int i = 0; i < expr.Nodes.Count; i++)
            {
                switch (expr.Nodes[i])
                {
                    case ColumnNode when i > 0 && expr.Nodes[i - 1] is TokenNode { Text: "collate" }:
                        // COLLATE "C": a collation name.
                        break;
                    case ColumnNode when i + 1 < expr.Nodes.Count && expr.Nodes[i + 1] is TokenNode { Text: "=>" }:
                        // make_interval(days => @days): a named argument.
                        break;
                    case ColumnNode column:
                        Column(column.Name, scope, fallback);
                        break;
                    case StarNode star:
                        Star(star, scope);
                        break;
                    case SubqueryNode subquery:
                        Statement(subquery.Query, scope);
                        break;
                    case CallNode call:
                        Call(call, scope, fallback);
                        break;
                    case ListNode list:
                        foreach (var item in list.Items)
                        {
                            Expr(item, scope, fallback);
                        }

                        break;
                }
            }
        }

        private void Call(CallNode call, Scope scope, Scope? fallback = null)
        {
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                var argument = call.Arguments[i];
                if (i == 0 && call.Name.Last == "extract" && argument.Nodes.Count > 1 && argument.Nodes[0] is ColumnNode)
                {
                    // EXTRACT(field FROM source): the field is a keyword, not a column.
                    argument = new SqlExpr(argument.Nodes.Skip(1).ToArray());
                }

                Expr(argument, scope, fallback);
            }

            foreach (var expr in call.Window)
            {
                Expr(expr, scope, fallback);
            }
        }

        private void Star(StarNode star, Scope scope)
        {
            foreach (var source in scope.Sources)
            {
                bool selected = star.Qualifier is null || (star.Qualifier.Parts.Count == 1 && source.Answers(star.Qualifier.Last));
                if (selected && source.IsTable && !_analysis.StarTables.Any(t => t.Schema == source.Schema && t.Name == source.Table))
                {
                    _analysis.StarTables.Add(new TableUse(source.Schema, source.Table!, written: false));
                }
            }
        }

        private void Column(SqlName name, Scope scope, Scope? fallback)
        {
            if (name.Parts.Count == 1)
            {
                Unqualified(name.Last, scope, fallback);
                return;
            }

            string qualifier = name.Parts[name.Parts.Count - 2];
            string? schema = name.Parts.Count >= 3 ? name.Parts[name.Parts.Count - 3] : null;
            for (var s = scope; s is not null; s = s.Parent)
            {
                var source = s.Sources.FirstOrDefault(x => x.Answers(qualifier) && (schema is null || x.Schema == schema));
                if (source is not null)
                {
                    if (source.IsTable)
                    {
                        _analysis.AddColumn(source.Schema, source.Table!, name.Last, ColumnAccess.Read);
                    }

                    return;
                }
            }

            _analysis.UnresolvedColumns.Add(name.ToString());
        }

        private void Unqualified(string column, Scope scope, Scope? fallback)
        {
            for (var s = scope; s is not null; s = s.Parent)
            {
                var definite = new List<Source>();
                var maybe = new List<Source>();
                foreach (var source in s.Sources.Where(x => !x.Silent))
                {
                    bool? has = Has(source, column);
                    if (has == true)
                    {
                        definite.Add(source);
                    }
                    else if (has is null)
                    {
                        maybe.Add(source);
                    }
                }

                if (definite.Count == 1)
                {
                    Record(definite[0], column);
                    return;
                }

                if (definite.Count > 1)
                {
                    _analysis.UnresolvedColumns.Add(column);
                    return;
                }

                // A select-list alias (ORDER BY total) or a bare alias naming the whole row (to_jsonb(o)).
                if (s.OutputNames.Contains(column) || (s == scope && (fallback?.OutputNames.Contains(column) ?? false)) || s.Sources.Any(x => x.Alias == column))
                {
                    return;
                }

                if (maybe.Count == 1)
                {
                    Record(maybe[0], column);
                    return;
                }

                if (maybe.Count > 1)
                {
                    _analysis.UnresolvedColumns.Add(column);
                    return;
                }
            }

            // No table has it: the statement names a column the schema lacks. With one table in the
            // innermost scope that is the table meant, so the checker can report the column as missing.
            var only = scope.Sources.Where(x => !x.Silent).ToList();
            if (only.Count == 1 && only[0].IsTable)
            {
                _analysis.AddColumn(only[0].Schema, only[0].Table!, column, ColumnAccess.Read);
                return;
            }

            _analysis.UnresolvedColumns.Add(column);
        }

        private void Record(Source source, string column)
        {
            if (source.IsTable)
            {
                _analysis.AddColumn(source.Schema, source.Table!, column, ColumnAccess.Read);
            }
        }

        private bool? Has(Source source, string column)
        {
            if (source.Table is not null)
            {
                return _schema?.HasColumn(source.Schema, source.Table, column);
            }

            return source.Columns is null ? null : source.Columns.Contains(column);
        }
    }
}
