using System.Collections;
using System.Reflection;
using FluentMigrator.Expressions;

namespace Migrator.Dialects.Postgres;

/// <summary>
/// Checks every identifier a FluentMigrator expression carries (schema, table, column, index,
/// constraint, foreign key and sequence names, also inside its column and index definitions) against
/// PostgreSQL's 63-byte limit before FluentMigrator's generator quotes it, so no name is ever
/// silently truncated by the server.
/// </summary>
internal static class ExpressionNames
{
    private static readonly string[] NameLike = ["Name", "Table", "Schema", "Columns", "Column"];

    public static void Check(IMigrationExpression expression) => Visit(expression, 0);

    private static void Visit(object? node, int depth)
    {
        if (node is null || depth > 4)
        {
            return;
        }

        foreach (var property in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !NameLike.Any(n => property.Name.EndsWith(n, StringComparison.Ordinal)) && !IsModel(property.PropertyType))
            {
                continue;
            }

            object? value = property.GetValue(node);
            switch (value)
            {
                case string name when property.Name.EndsWith("Name", StringComparison.Ordinal) || property.Name.EndsWith("Table", StringComparison.Ordinal) || property.Name.EndsWith("Schema", StringComparison.Ordinal):
                    PgNames.Check(name);
                    break;
                case string:
                    break;
                case IEnumerable<string> names:
                    foreach (string name in names)
                    {
                        PgNames.Check(name);
                    }

                    break;
                case IEnumerable items:
                    foreach (object? item in items)
                    {
                        if (item is not null && IsModel(item.GetType()))
                        {
                            Visit(item, depth + 1);
                        }
                    }

                    break;
                default:
                    if (value is not null && IsModel(value.GetType()))
                    {
                        Visit(value, depth + 1);
                    }

                    break;
            }
        }
    }

    private static bool IsModel(Type type) =>
        type.Namespace == "FluentMigrator.Model" && type.IsClass
        || type.IsGenericType && type.GetGenericArguments().Any(t => t.Namespace == "FluentMigrator.Model");
}
