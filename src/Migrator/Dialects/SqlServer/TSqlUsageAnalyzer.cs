using Microsoft.SqlServer.TransactSql.ScriptDom;
using Migrator.Analyzers.Sql;

namespace Migrator.Dialects.SqlServer;

/// <summary>
/// What T-SQL DML reads and writes, read with Microsoft's own parser (ScriptDom). Scopes are per
/// statement: a column qualified by an alias or table name goes to that table; an unqualified one goes
/// to the only table of the statement, or to the one the schema says has it, or is left unresolved.
/// </summary>
public static class TSqlUsageAnalyzer
{
    public static SqlAnalysis Analyze(string sql, ISchemaLookup? schema)
    {
        var analysis = new SqlAnalysis(sql);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        foreach (var error in errors)
        {
            analysis.Errors.Add($"line {error.Line}, column {error.Column}: {error.Message}");
        }

        if (fragment is not TSqlScript script)
        {
            return analysis;
        }

        bool first = true;
        foreach (var statement in script.Batches.SelectMany(b => b.Statements))
        {
            var kind = statement switch
            {
                SelectStatement => StatementKind.Select,
                InsertStatement => StatementKind.Insert,
                UpdateStatement => StatementKind.Update,
                DeleteStatement => StatementKind.Delete,
                _ => StatementKind.Other,
            };
            if (first)
            {
                analysis.Kind = kind;
                first = false;
            }

            if (kind == StatementKind.Other)
            {
                analysis.OtherStatements.Add(statement.GetType().Name.Replace("Statement", "").ToUpperInvariant());
                continue;
            }

            new StatementVisitor(analysis, schema).Read(statement);
        }

        return analysis;
    }

    private sealed class StatementVisitor(SqlAnalysis analysis, ISchemaLookup? schema) : TSqlFragmentVisitor
    {
        private readonly List<(string? Alias, string? Schema, string Table)> _sources = [];
        private readonly HashSet<string> _ctes = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<ColumnReferenceExpression> _columns = [];
        private readonly List<string?> _stars = [];
        private NamedTableReference? _target;

        public void Read(TSqlStatement statement)
        {
            statement.Accept(this);

            // CTE names are known only once the whole statement is visited (ScriptDom visits the query
            // before its WITH clause): a reference to one is not a table.
            _sources.RemoveAll(s => s.Schema is null && _ctes.Contains(s.Table));
            foreach (var (alias, schemaName, table) in _sources)
            {
                bool written = _target is not null && Matches(_target, alias, schemaName, table);
                analysis.AddTable(schemaName, table, written);
            }

            foreach (var column in _columns)
            {
                Resolve(column);
            }

            foreach (var qualifier in _stars)
            {
                foreach (var (alias, schemaName, table) in _sources)
                {
                    if (qualifier is null || string.Equals(alias ?? table, qualifier, StringComparison.OrdinalIgnoreCase))
                    {
                        analysis.StarTables.Add(new TableUse(schemaName, table, written: false));
                    }
                }
            }
        }

        public override void ExplicitVisit(CommonTableExpression node)
        {
            _ctes.Add(node.ExpressionName.Value);
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(NamedTableReference node)
        {
            _sources.Add((node.Alias?.Value, node.SchemaObject.SchemaIdentifier?.Value, node.SchemaObject.BaseIdentifier.Value));

            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(InsertSpecification node)
        {
            _target = node.Target as NamedTableReference;
            if (_target is not null)
            {
                string? schemaName = _target.SchemaObject.SchemaIdentifier?.Value;
                string table = _target.SchemaObject.BaseIdentifier.Value;
                if (node.Columns.Count == 0)
                {
                    analysis.InsertsWithoutColumnList.Add(new TableUse(schemaName, table, written: true));
                }

                foreach (var column in node.Columns)
                {
                    analysis.AddColumn(schemaName, table, column.MultiPartIdentifier.Identifiers.Last().Value, ColumnAccess.Write);
                }
            }

            node.Target?.Accept(this);
            node.InsertSource?.Accept(this);
            node.OutputClause?.Accept(this);
        }

        public override void ExplicitVisit(UpdateSpecification node)
        {
            _target = node.Target as NamedTableReference;
            node.Target?.Accept(this);
            node.FromClause?.Accept(this);
            foreach (var set in node.SetClauses)
            {
                if (set is AssignmentSetClause { Column: { } column } assignment)
                {
                    Write(column);
                    assignment.NewValue?.Accept(this);
                }
                else
                {
                    set.Accept(this);
                }
            }

            node.WhereClause?.Accept(this);
            node.OutputClause?.Accept(this);
        }

        public override void ExplicitVisit(DeleteSpecification node)
        {
            _target = node.Target as NamedTableReference;
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(ColumnReferenceExpression node)
        {
            _columns.Add(node);
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(SelectStarExpression node)
        {
            _stars.Add(node.Qualifier?.Identifiers.LastOrDefault()?.Value);
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(VariableReference node)
        {
            string name = node.Name.TrimStart('@');
            if (!analysis.Parameters.Contains(name))
            {
                analysis.Parameters.Add(name);
            }

            base.ExplicitVisit(node);
        }

        private void Write(ColumnReferenceExpression column)
        {
            var target = Target();
            if (target is { } t && column.MultiPartIdentifier is { } id)
            {
                analysis.AddColumn(t.Schema, t.Table, id.Identifiers.Last().Value, ColumnAccess.Write);
            }
        }

        private (string? Schema, string Table)? Target()
        {
            if (_target is null)
            {
                return null;
            }

            // UPDATE alias SET … FROM table alias: the target names an alias of a FROM source.
            string name = _target.SchemaObject.BaseIdentifier.Value;
            foreach (var (alias, schemaName, table) in _sources)
            {
                if (string.Equals(alias, name, StringComparison.OrdinalIgnoreCase))
                {
                    return (schemaName, table);
                }
            }

            return (_target.SchemaObject.SchemaIdentifier?.Value, name);
        }

        private static bool Matches(NamedTableReference target, string? alias, string? schemaName, string table)
        {
            string name = target.SchemaObject.BaseIdentifier.Value;
            return string.Equals(alias, name, StringComparison.OrdinalIgnoreCase)
                || (string.Equals(table, name, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(schemaName, target.SchemaObject.SchemaIdentifier?.Value, StringComparison.OrdinalIgnoreCase));
        }

        private void Resolve(ColumnReferenceExpression column)
        {
            if (column.ColumnType == ColumnType.Wildcard)
            {
                var qualifier = column.MultiPartIdentifier?.Identifiers.LastOrDefault()?.Value;
                foreach (var (alias, schemaName, table) in _sources)
                {
                    if (qualifier is null || string.Equals(alias ?? table, qualifier, StringComparison.OrdinalIgnoreCase))
                    {
                        analysis.StarTables.Add(new TableUse(schemaName, table, written: false));
                    }
                }

                return;
            }

            var parts = column.MultiPartIdentifier?.Identifiers.Select(i => i.Value).ToList();
            if (parts is null || parts.Count == 0)
            {
                return;
            }

            string name = parts[^1];
            if (parts.Count >= 2)
            {
                string qualifier = parts[^2];
                var source = _sources.FirstOrDefault(s => string.Equals(s.Alias ?? s.Table, qualifier, StringComparison.OrdinalIgnoreCase));
                if (source.Table is not null)
                {
                    analysis.AddColumn(source.Schema, source.Table, name, ColumnAccess.Read);
                }
                else
                {
                    analysis.UnresolvedColumns.Add(string.Join(".", parts));
                }

                return;
            }

            var candidates = _sources.Distinct().ToList();
            if (candidates.Count > 1 && schema is not null)
            {
                candidates = candidates.Where(s => schema.HasColumn(s.Schema, s.Table, name) != false).ToList();
            }

            if (candidates.Count == 1)
            {
                analysis.AddColumn(candidates[0].Schema, candidates[0].Table, name, ColumnAccess.Read);
            }
            else
            {
                analysis.UnresolvedColumns.Add(name);
            }
        }
    }
}
