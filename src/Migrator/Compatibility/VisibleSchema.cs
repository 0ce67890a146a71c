using Dapper;
using Migrator.Analyzers.Sql;
using System.Data.Common;

namespace Migrator.Compatibility;

/// <summary>
/// The tables, views and columns apps can see, with each column's type, nullability and default: built by
/// replaying the effects of phase SQL (<see cref="PgDdlAnalyzer"/>), or read from a live database. The
/// checker compares it before and after a phase; the SQL analyser asks it which table has a column.
/// </summary>
public sealed class VisibleSchema : ISchemaLookup
{
    private readonly Dictionary<string, Relation> _relations = new(StringComparer.Ordinal);

    public sealed record ColumnShape(string Type, bool NotNull, bool HasDefault);

    public sealed class Relation(bool isView)
    {
        public bool IsView { get; set; } = isView;

        public Dictionary<string, ColumnShape> Columns { get; } = new(StringComparer.Ordinal);
    }

    public static string Key(string? schema, string table) => (string.IsNullOrEmpty(schema) ? "public" : schema) + "." + table;

    public Relation? Find(string? schema, string table) => _relations.GetValueOrDefault(Key(schema, table));

    public IEnumerable<string> RelationNames => _relations.Keys;

    public bool? HasColumn(string? schema, string table, string column) =>
        Find(schema, table) is { } relation ? relation.Columns.ContainsKey(column) : null;

    public VisibleSchema Clone()
    {
        var copy = new VisibleSchema();
        foreach (var (key, relation) in _relations)
        {
            var clone = new Relation(relation.IsView);
            foreach (var (name, shape) in relation.Columns)
            {
                clone.Columns[name] = shape;
            }

            copy._relations[key] = clone;
        }

        return copy;
    }

    /// <summary>Applies what one statement does; statements on relations it does not know are ignored.</summary>
    public void Apply(DdlEffect effect)
    {
        string key = Key(effect.Schema, effect.Table ?? "");
        var relation = _relations.GetValueOrDefault(key);
        switch (effect.Kind)
        {
            case DdlKind.CreateTable:
                var table = new Relation(isView: false);
                foreach (var column in effect.Columns)
                {
                    table.Columns[column.Name] = new ColumnShape(column.Type, column.NotNull, column.HasDefault);
                }

                _relations[key] = table;
                break;
            case DdlKind.DropTable or DdlKind.DropView:
                _relations.Remove(key);
                break;
            case DdlKind.RenameTable when relation is not null:
                _relations.Remove(key);
                _relations[Key(effect.Schema, effect.NewName!)] = relation;
                break;
            case DdlKind.CreateView:
                var view = new Relation(isView: true);
                if (effect.ViewOf is { } source)
                {
                    var parts = source.Split('.');
                    var of = parts.Length > 1 ? Find(parts[^2], parts[^1]) : Find(effect.Schema, parts[0]);
                    foreach (var (name, shape) in of?.Columns ?? [])
                    {
                        view.Columns[name] = shape;
                    }
                }

                _relations[key] = view;
                break;
            case DdlKind.AddColumn when relation is not null && effect.Declaration is { } declared:
                relation.Columns[declared.Name] = new ColumnShape(declared.Type, declared.NotNull, declared.HasDefault);
                break;
            case DdlKind.DropColumn when relation is not null:
                relation.Columns.Remove(effect.Column!);
                break;
            case DdlKind.RenameColumn when relation is not null && relation.Columns.Remove(effect.Column!, out var renamed):
                relation.Columns[effect.NewName!] = renamed;
                break;
            case DdlKind.AlterColumnType when relation is not null && relation.Columns.TryGetValue(effect.Column!, out var retyped):
                relation.Columns[effect.Column!] = retyped with { Type = effect.Type ?? retyped.Type };
                break;
            case DdlKind.SetNotNull when relation is not null && relation.Columns.TryGetValue(effect.Column!, out var shape):
                relation.Columns[effect.Column!] = shape with { NotNull = true };
                break;
            case DdlKind.DropNotNull when relation is not null && relation.Columns.TryGetValue(effect.Column!, out var shape):
                relation.Columns[effect.Column!] = shape with { NotNull = false };
                break;
            case DdlKind.SetDefault when relation is not null && relation.Columns.TryGetValue(effect.Column!, out var shape):
                relation.Columns[effect.Column!] = shape with { HasDefault = true };
                break;
            case DdlKind.DropDefault when relation is not null && relation.Columns.TryGetValue(effect.Column!, out var shape):
                relation.Columns[effect.Column!] = shape with { HasDefault = false };
                break;
        }
    }

    /// <summary>The tables and views of a live database (the ledger schema and the catalogs left out).</summary>
    public static async Task<VisibleSchema> ReadAsync(DbConnection connection, string ledgerSchema)
    {
        var schema = new VisibleSchema();
        var rows = await connection.QueryAsync<(string Schema, string Table, string Kind, string? Column, string? Type, bool NotNull, bool HasDefault)>(
            """
            SELECT n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod), coalesce(a.attnotnull, false), d.adbin IS NOT NULL
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'v', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', @ledgerSchema)
              AND n.nspname NOT LIKE 'pg_toast%'
            """,
            new { ledgerSchema });
        foreach (var row in rows)
        {
            string key = Key(row.Schema, row.Table);
            if (!schema._relations.TryGetValue(key, out var relation))
            {
                relation = schema._relations[key] = new Relation(row.Kind == "v");
            }

            if (row.Column is not null)
            {
                relation.Columns[row.Column] = new ColumnShape(row.Type ?? "", row.NotNull, row.HasDefault);
            }
        }

        return schema;
    }
}
