using System.Collections.Generic;

namespace Migrator.Analyzers.Sql
{
    // The syntax tree the PostgreSQL grammar builds. It keeps only what decides which tables and columns a
    // statement reads and writes: expressions are flat lists of nodes, operators and literals are dropped.

    /// <summary>A name as written, one part per dot: unquoted parts are folded to lower case as PostgreSQL does.</summary>
    internal sealed class SqlName
    {
        public SqlName(IReadOnlyList<string> parts) => Parts = parts;

        public IReadOnlyList<string> Parts { get; }

        public string Last => Parts[Parts.Count - 1];

        public override string ToString() => string.Join(".", Parts);
    }

    internal abstract class ExprNode
    {
    }

    /// <summary>A column reference: `col`, `alias.col` or `schema.table.col`.</summary>
    internal sealed class ColumnNode : ExprNode
    {
        public ColumnNode(SqlName name) => Name = name;

        public SqlName Name { get; }
    }

    /// <summary>`*` or `alias.*` in a select list.</summary>
    internal sealed class StarNode : ExprNode
    {
        public StarNode(SqlName? qualifier) => Qualifier = qualifier;

        public SqlName? Qualifier { get; }
    }

    internal sealed class SubqueryNode : ExprNode
    {
        public SubqueryNode(SqlStatement query) => Query = query;

        public SqlStatement Query { get; }
    }

    /// <summary>A function call with its arguments and window (OVER / FILTER) expressions.</summary>
    internal sealed class CallNode : ExprNode
    {
        public CallNode(SqlName name, IReadOnlyList<SqlExpr> arguments, IReadOnlyList<SqlExpr> window)
        {
            Name = name;
            Arguments = arguments;
            Window = window;
        }

        public SqlName Name { get; }

        public IReadOnlyList<SqlExpr> Arguments { get; }

        public IReadOnlyList<SqlExpr> Window { get; }
    }

    /// <summary>A parenthesised or bracketed list: (a, b), ARRAY[…], a subscript.</summary>
    internal sealed class ListNode : ExprNode
    {
        public ListNode(IReadOnlyList<SqlExpr> items) => Items = items;

        public IReadOnlyList<SqlExpr> Items { get; }
    }

    /// <summary>A literal, parameter, operator or keyword: nothing the resolver needs, but it separates values.</summary>
    internal sealed class TokenNode : ExprNode
    {
        public TokenNode(string text, bool isValue)
        {
            Text = text;
            IsValue = isValue;
        }

        public string Text { get; }

        public bool IsValue { get; }
    }

    internal sealed class SqlExpr
    {
        public SqlExpr(IReadOnlyList<ExprNode> nodes) => Nodes = nodes;

        public IReadOnlyList<ExprNode> Nodes { get; }
    }

    internal sealed class SelectItem
    {
        public SelectItem(SqlExpr expr, string? alias)
        {
            Expr = expr;
            Alias = alias;
        }

        public SqlExpr Expr { get; }

        public string? Alias { get; }
    }

    internal abstract class FromItem
    {
    }

    internal sealed class TableFrom : FromItem
    {
        public TableFrom(SqlName name, string? alias)
        {
            Name = name;
            Alias = alias;
        }

        public SqlName Name { get; }

        public string? Alias { get; }
    }

    internal sealed class SubqueryFrom : FromItem
    {
        public SubqueryFrom(SqlStatement query, string? alias, IReadOnlyList<string> columns)
        {
            Query = query;
            Alias = alias;
            Columns = columns;
        }

        public SqlStatement Query { get; }

        public string? Alias { get; }

        public IReadOnlyList<string> Columns { get; }
    }

    internal sealed class FunctionFrom : FromItem
    {
        public FunctionFrom(CallNode call, string? alias, IReadOnlyList<string> columns)
        {
            Call = call;
            Alias = alias;
            Columns = columns;
        }

        public CallNode Call { get; }

        public string? Alias { get; }

        public IReadOnlyList<string> Columns { get; }
    }

    internal sealed class JoinFrom : FromItem
    {
        public JoinFrom(FromItem left, FromItem right, SqlExpr? on, IReadOnlyList<string> usingColumns)
        {
            Left = left;
            Right = right;
            On = on;
            Using = usingColumns;
        }

        public FromItem Left { get; }

        public FromItem Right { get; }

        public SqlExpr? On { get; }

        public IReadOnlyList<string> Using { get; }
    }

    internal sealed class CommonTable
    {
        public CommonTable(string name, IReadOnlyList<string> columns, SqlStatement body)
        {
            Name = name;
            Columns = columns;
            Body = body;
        }

        public string Name { get; }

        public IReadOnlyList<string> Columns { get; }

        public SqlStatement Body { get; }
    }

    internal abstract class SqlStatement
    {
        public IReadOnlyList<CommonTable> With { get; set; } = new CommonTable[0];
    }

    /// <summary>One SELECT … FROM … WHERE … GROUP BY … HAVING block.</summary>
    internal sealed class SelectCore
    {
        public SelectCore(IReadOnlyList<SqlExpr> distinctOn, IReadOnlyList<SelectItem> items, IReadOnlyList<FromItem> from, IReadOnlyList<SqlExpr> clauses)
        {
            DistinctOn = distinctOn;
            Items = items;
            From = from;
            Clauses = clauses;
        }

        public IReadOnlyList<SqlExpr> DistinctOn { get; }

        public IReadOnlyList<SelectItem> Items { get; }

        public IReadOnlyList<FromItem> From { get; }

        /// <summary>WHERE, GROUP BY, HAVING and WINDOW expressions, resolved in the block's scope.</summary>
        public IReadOnlyList<SqlExpr> Clauses { get; }
    }

    /// <summary>A query: one or more select blocks, VALUES rows or nested queries joined by set operators,
    /// then ORDER BY / LIMIT / OFFSET (resolved against the first block's scope and output names).</summary>
    internal sealed class SelectStatement : SqlStatement
    {
        public SelectStatement(IReadOnlyList<object> terms, IReadOnlyList<SqlExpr> tail)
        {
            Terms = terms;
            Tail = tail;
        }

        /// <summary>Each is a <see cref="SelectCore"/>, a <see cref="ValuesRows"/> or a nested <see cref="SelectStatement"/>.</summary>
        public IReadOnlyList<object> Terms { get; }

        public IReadOnlyList<SqlExpr> Tail { get; }
    }

    internal sealed class ValuesRows
    {
        public ValuesRows(IReadOnlyList<SqlExpr> rows) => Rows = rows;

        public IReadOnlyList<SqlExpr> Rows { get; }
    }

    internal sealed class SetClause
    {
        public SetClause(IReadOnlyList<string> columns, SqlExpr value)
        {
            Columns = columns;
            Value = value;
        }

        public IReadOnlyList<string> Columns { get; }

        public SqlExpr Value { get; }
    }

    internal sealed class OnConflict
    {
        public OnConflict(IReadOnlyList<SqlExpr> target, IReadOnlyList<SetClause> set, IReadOnlyList<SqlExpr> where)
        {
            Target = target;
            Set = set;
            Where = where;
        }

        public IReadOnlyList<SqlExpr> Target { get; }

        public IReadOnlyList<SetClause> Set { get; }

        public IReadOnlyList<SqlExpr> Where { get; }
    }

    internal sealed class InsertStatement : SqlStatement
    {
        public InsertStatement(TableFrom target, IReadOnlyList<string>? columns, SelectStatement? source, OnConflict? onConflict, IReadOnlyList<SelectItem> returning)
        {
            Target = target;
            Columns = columns;
            Source = source;
            OnConflict = onConflict;
            Returning = returning;
        }

        public TableFrom Target { get; }

        /// <summary>The column list, or null when the statement names none (every column, in table order).</summary>
        public IReadOnlyList<string>? Columns { get; }

        /// <summary>The rows: VALUES or a query; null for DEFAULT VALUES.</summary>
        public SelectStatement? Source { get; }

        public OnConflict? OnConflict { get; }

        public IReadOnlyList<SelectItem> Returning { get; }
    }

    internal sealed class UpdateStatement : SqlStatement
    {
        public UpdateStatement(TableFrom target, IReadOnlyList<SetClause> set, IReadOnlyList<FromItem> from, IReadOnlyList<SqlExpr> where, IReadOnlyList<SelectItem> returning)
        {
            Target = target;
            Set = set;
            From = from;
            Where = where;
            Returning = returning;
        }

        public TableFrom Target { get; }

        public IReadOnlyList<SetClause> Set { get; }

        public IReadOnlyList<FromItem> From { get; }

        public IReadOnlyList<SqlExpr> Where { get; }

        public IReadOnlyList<SelectItem> Returning { get; }
    }

    internal sealed class DeleteStatement : SqlStatement
    {
        public DeleteStatement(TableFrom target, IReadOnlyList<FromItem> usingItems, IReadOnlyList<SqlExpr> where, IReadOnlyList<SelectItem> returning)
        {
            Target = target;
            Using = usingItems;
            Where = where;
            Returning = returning;
        }

        public TableFrom Target { get; }

        public IReadOnlyList<FromItem> Using { get; }

        public IReadOnlyList<SqlExpr> Where { get; }

        public IReadOnlyList<SelectItem> Returning { get; }
    }
}
