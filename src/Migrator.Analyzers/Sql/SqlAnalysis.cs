using System.Collections.Generic;
using System.Linq;

namespace Migrator.Analyzers.Sql
{
    public enum StatementKind
    {
        Select,
        Insert,
        Update,
        Delete,
        Other,
    }

    public enum ColumnAccess
    {
        Read,
        Write,
    }

    /// <summary>A table as the SQL names it: the schema is null when the statement leaves it to the search path.</summary>
    public sealed class TableUse
    {
        public TableUse(string? schema, string name, bool written)
        {
            Schema = schema;
            Name = name;
            Written = written;
        }

        public string? Schema { get; }

        public string Name { get; }

        /// <summary>The statement inserts into, updates or deletes from it (otherwise it only reads it).</summary>
        public bool Written { get; internal set; }

        public override string ToString() => Schema is null ? Name : Schema + "." + Name;
    }

    public sealed class ColumnUse
    {
        public ColumnUse(string? schema, string table, string column, ColumnAccess access)
        {
            Schema = schema;
            Table = table;
            Column = column;
            Access = access;
        }

        public string? Schema { get; }

        public string Table { get; }

        public string Column { get; }

        public ColumnAccess Access { get; }

        public override string ToString() => (Schema is null ? "" : Schema + ".") + Table + "." + Column + (Access == ColumnAccess.Write ? " (write)" : "");
    }

    /// <summary>What one SQL text (one or more statements) reads and writes.</summary>
    public sealed class SqlAnalysis
    {
        public SqlAnalysis(string sql) => Sql = sql;

        public string Sql { get; }

        /// <summary>The kind of the first statement.</summary>
        public StatementKind Kind { get; set; } = StatementKind.Other;

        public List<TableUse> Tables { get; } = new List<TableUse>();

        public List<ColumnUse> Columns { get; } = new List<ColumnUse>();

        /// <summary>Tables read with `*` (or `alias.*`): the columns the code gets are whatever the table has.</summary>
        public List<TableUse> StarTables { get; } = new List<TableUse>();

        /// <summary>INSERTs that name no column list: they write every column in table order.</summary>
        public List<TableUse> InsertsWithoutColumnList { get; } = new List<TableUse>();

        /// <summary>Dapper parameters (@name) and positional ones ($1), without the prefix, in order of first use.</summary>
        public List<string> Parameters { get; } = new List<string>();

        /// <summary>Column names the analyser could not tie to one table (ambiguous, or an unknown alias).</summary>
        public List<string> UnresolvedColumns { get; } = new List<string>();

        /// <summary>Statements that are not DML (SET, CALL, DDL…): what they touch is unknown.</summary>
        public List<string> OtherStatements { get; } = new List<string>();

        /// <summary>Parse errors, one per statement that could not be read.</summary>
        public List<string> Errors { get; } = new List<string>();

        public bool HasErrors => Errors.Count > 0;

        public void AddTable(string? schema, string name, bool written)
        {
            var existing = Tables.FirstOrDefault(t => t.Schema == schema && t.Name == name);
            if (existing is null)
            {
                Tables.Add(new TableUse(schema, name, written));
            }
            else if (written)
            {
                existing.Written = true;
            }
        }

        public void AddColumn(string? schema, string table, string column, ColumnAccess access)
        {
            if (!Columns.Any(c => c.Schema == schema && c.Table == table && c.Column == column && c.Access == access))
            {
                Columns.Add(new ColumnUse(schema, table, column, access));
            }
        }
    }

    /// <summary>What the analyser may ask about the schema to tie an unqualified column to one of several tables.</summary>
    public interface ISchemaLookup
    {
        /// <summary>True or false when the table is known; null when it is not.</summary>
        bool? HasColumn(string? schema, string table, string column);
    }
}
