using System.Text;
using Migrator.Analyzers.Sql;
using Migrator.Analyzers.Usage;
using Migrator.Authoring;
using Migrator.Planning;

namespace Migrator.Compatibility;

/// <summary>
/// Writes migrator-schema.txt for the app-code analyzers (<see cref="AppSchema"/> reads it): the tables and
/// columns app code may use once every change is expanded, and what each pending contract removes with its
/// replacement (the column or table the same change's expand added there).
/// </summary>
public static class SchemaFileWriter
{
    public static string Write(IReadOnlyList<ChangePlan> plans, Func<ChangePlan, ChangeState>? state)
    {
        var schema = new VisibleSchema();
        var removals = new List<(long Change, string Key, string? Replacement, VisibleSchema.ColumnShape? Shape)>();
        foreach (var plan in plans)
        {
            var beforeExpand = schema.Clone();
            Apply(schema, plan, Phase.Expand);
            var beforeContract = schema.Clone();
            Apply(schema, plan, Phase.Contract);
            if (state?.Invoke(plan) == ChangeState.Contracted)
            {
                continue;
            }

            foreach (string key in beforeContract.RelationNames)
            {
                var (schemaName, table) = Split(key);
                var was = beforeContract.Find(schemaName, table)!;
                var now = schema.Find(schemaName, table);
                if (now is null)
                {
                    string? replacement = schema.RelationNames.FirstOrDefault(r => beforeExpand.Find(Split(r).Schema, Split(r).Table) is null);
                    removals.Add((plan.Id, key, replacement?.Split('.', 2)[1], null));
                    continue;
                }

                var added = beforeContract.Find(schemaName, table)!.Columns.Keys
                    .Where(c => beforeExpand.Find(schemaName, table)?.Columns.ContainsKey(c) == false)
                    .ToList();
                foreach (var (column, shape) in was.Columns.Where(c => !now.Columns.ContainsKey(c.Key)))
                {
                    removals.Add((plan.Id, key + "." + column, added.Count == 1 ? added[0] : null, shape));
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine("# migrator schema v1: written by `dotnet migrator plan --schema-file`; read by Migrator.Analyzers as an AdditionalFiles item.");
        text.AppendLine("# table <schema.table> <column>… (! = NOT NULL without a default); remove <change> <schema.table[.column]> [replacement]");
        foreach (string key in schema.RelationNames.Concat(removals.Where(r => r.Shape is null).Select(r => r.Key)).Distinct().Order(StringComparer.Ordinal))
        {
            var (schemaName, table) = Split(key);
            var columns = schema.Find(schemaName, table)?.Columns.Select(c => c.Key + (c.Value.NotNull && !c.Value.HasDefault ? "!" : "")).ToList() ?? [];
            columns.AddRange(removals.Where(r => r.Shape is not null && r.Key.StartsWith(key + ".", StringComparison.Ordinal)).Select(r => r.Key[(key.Length + 1)..]));
            text.AppendLine($"table {key} {string.Join(" ", columns)}".TrimEnd());
        }

        foreach (var (change, key, replacement, _) in removals)
        {
            text.AppendLine($"remove {change} {key}{(replacement is null ? "" : " " + replacement)}");
        }

        return text.ToString();
    }

    private static void Apply(VisibleSchema schema, ChangePlan plan, Phase phase)
    {
        foreach (var statement in plan.Steps(phase).SelectMany(s => s.Statements).Where(s => !s.IsBoundary))
        {
            foreach (var effect in PgDdlAnalyzer.Analyze(statement.Sql))
            {
                schema.Apply(effect);
            }
        }
    }

    private static (string Schema, string Table) Split(string key)
    {
        var parts = key.Split('.', 2);
        return (parts[0], parts[1]);
    }
}
