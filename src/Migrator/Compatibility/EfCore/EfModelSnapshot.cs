using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Migrator.Compatibility.EfCore;

/// <summary>
/// The tables and columns an EF Core model maps, read from the app's migrations <c>*ModelSnapshot.cs</c>
/// with Roslyn's syntax tree: no build, no loading of the app's assembly (a pull-request check must not
/// run the app's code, and the snapshot is exactly what `dotnet ef migrations add` believes the database
/// is). The snapshot spells out what conventions decided: table names (<c>ToTable</c>), column names
/// (<c>HasColumnName</c> where a naming convention or an attribute renamed one), shadow properties, TPH
/// (<c>HasBaseType</c> with no table of its own: the base's table), TPT (<c>HasBaseType</c> and
/// <c>ToTable</c>: the derived table, which shares the base's key columns), owned types (<c>OwnsOne</c>
/// in the owner's table, columns <c>Navigation_Property</c> unless named; their key is the owner's;
/// <c>OwnsMany</c> in a table of their own).
/// </summary>
public static class EfModelSnapshot
{
    /// <summary>One mapped column.</summary>
    public sealed record Column(string Name, string Property, string ClrType, bool Nullable, int Line);

    /// <summary>One entity type's columns in one table (TPT types span two tables, one entry each).</summary>
    /// <param name="SplitOwner">For an owned type stored in its owner's table (table splitting): the
    /// owner, whose rows EF reads and writes with these columns in the same statements.</param>
    public sealed record Mapping(string Entity, string? Schema, string Table, bool IsView, IReadOnlyList<Column> Columns, string File, int Line, string? SplitOwner = null);

    /// <summary>Every entity's mappings in the snapshots among <paramref name="trees"/> (none when the app has none).</summary>
    public static IReadOnlyList<Mapping> Read(IEnumerable<SyntaxTree> trees)
    {
        var mappings = new List<Mapping>();
        foreach (var tree in trees)
        {
            foreach (var snapshot in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
                .Where(c => c.BaseList?.Types.Any(t => t.Type.ToString().EndsWith("ModelSnapshot", StringComparison.Ordinal)) == true))
            {
                var method = snapshot.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.Text == "BuildModel");
                if (method?.Body is { } body)
                {
                    mappings.AddRange(ReadModel(body, tree.FilePath));
                }
            }
        }

        return mappings;
    }

    /// <summary>What the snapshot says of one entity type, merged over every <c>Entity(…)</c> block naming it.</summary>
    private sealed class Entity(string name)
    {
        public string Name { get; } = name;

        public string? Table { get; set; }

        public string? Schema { get; set; }

        public bool IsView { get; set; }

        public string? BaseType { get; set; }

        public Entity? Owner { get; set; }

        public string? Navigation { get; set; }

        public bool OwnsMany { get; set; }

        public List<string> Key { get; } = [];

        public Dictionary<string, Property> Properties { get; } = new(StringComparer.Ordinal);

        public string File { get; set; } = "";

        public int Line { get; set; }
    }

    private sealed class Property(string name, string clrType, int line)
    {
        public string Name { get; } = name;

        public string ClrType { get; } = clrType;

        public int Line { get; } = line;

        public string? ColumnName { get; set; }

        public bool Required { get; set; }
    }

    private static IEnumerable<Mapping> ReadModel(BlockSyntax body, string file)
    {
        string? defaultSchema = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => Name(i) == "HasDefaultSchema").Select(i => Literal(i, 0)).FirstOrDefault(s => s is not null);
        var entities = new Dictionary<string, Entity>(StringComparer.Ordinal);
        foreach (var statement in body.Statements.OfType<ExpressionStatementSyntax>())
        {
            if (statement.Expression is InvocationExpressionSyntax call && Name(call) == "Entity" && Literal(call, 0) is { } name
                && call.ArgumentList.Arguments.Count == 2 && call.ArgumentList.Arguments[1].Expression is LambdaExpressionSyntax lambda)
            {
                var entity = Get(entities, name, file, statement);
                ReadEntity(entity, lambda, entities, file);
            }
        }

        foreach (var entity in entities.Values)
        {
            foreach (var mapping in Map(entity, entities, defaultSchema))
            {
                yield return mapping;
            }
        }
    }

    private static Entity Get(Dictionary<string, Entity> entities, string name, string file, SyntaxNode at)
    {
        if (!entities.TryGetValue(name, out var entity))
        {
            entity = new Entity(name) { File = file, Line = at.GetLocation().GetLineSpan().StartLinePosition.Line + 1 };
            entities[name] = entity;
        }

        return entity;
    }

    private static void ReadEntity(Entity entity, LambdaExpressionSyntax lambda, Dictionary<string, Entity> entities, string file)
    {
        string? parameter = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.Text,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } p => p.ParameterList.Parameters[0].Identifier.Text,
            _ => null,
        };
        if (parameter is null || lambda.Body is not BlockSyntax block)
        {
            return;
        }

        foreach (var statement in block.Statements.OfType<ExpressionStatementSyntax>())
        {
            // The chain's first call on the builder says what the statement is; the calls after it refine it.
            var chain = Chain(statement.Expression);
            if (chain.Count == 0 || !IsOn(chain[0], parameter))
            {
                continue;
            }

            var first = chain[0];
            switch (Name(first))
            {
                case "Property" when Literal(first, 0) is { } property:
                    {
                        string clr = first.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic } ? generic.TypeArgumentList.Arguments[0].ToString() : "object";
                        if (!entity.Properties.TryGetValue(property, out var known))
                        {
                            known = new Property(property, clr, statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
                            entity.Properties[property] = known;
                        }

                        foreach (var refinement in chain.Skip(1))
                        {
                            switch (Name(refinement))
                            {
                                case "HasColumnName" when Literal(refinement, 0) is { } column:
                                    known.ColumnName = column;
                                    break;
                                case "IsRequired":
                                    known.Required = refinement.ArgumentList.Arguments.Count == 0 || refinement.ArgumentList.Arguments[0].Expression.IsKind(SyntaxKind.TrueLiteralExpression);
                                    break;
                            }
                        }

                        break;
                    }

                case "ToTable" or "ToView":
                    entity.Table = Literal(first, 0) ?? entity.Table;
                    entity.Schema = Literal(first, 1) ?? entity.Schema;
                    entity.IsView = Name(first) == "ToView";
                    break;
                case "HasBaseType" when Literal(first, 0) is { } baseType:
                    entity.BaseType = baseType;
                    break;
                case "HasKey":
                    entity.Key.Clear();
                    entity.Key.AddRange(first.ArgumentList.Arguments.Select(a => a.Expression is LiteralExpressionSyntax l ? l.Token.ValueText : null).OfType<string>());
                    break;
                case "OwnsOne" or "OwnsMany" when Literal(first, 0) is { } ownedType && Literal(first, 1) is { } navigation
                    && first.ArgumentList.Arguments.Last().Expression is LambdaExpressionSyntax ownedLambda:
                    {
                        // An owned type is named by its CLR type, but the same type owned twice is two entities.
                        var owned = Get(entities, $"{entity.Name}.{navigation}#{ownedType}", file, statement);
                        owned.Owner = entity;
                        owned.Navigation = navigation;
                        owned.OwnsMany = Name(first) == "OwnsMany";
                        ReadEntity(owned, ownedLambda, entities, file);
                        break;
                    }
            }
        }
    }

    private static IEnumerable<Mapping> Map(Entity entity, Dictionary<string, Entity> entities, string? defaultSchema)
    {
        var root = Root(entity);
        var (schema, table, view) = TableOf(entity, entities, defaultSchema);
        var columns = new List<Column>();
        var rootTable = TableOf(root, entities, defaultSchema);
        bool split = entity.Owner is not null && !entity.OwnsMany && (schema, table) == (rootTable.Schema, rootTable.Table);
        foreach (var property in entity.Properties.Values)
        {
            if (split && entity.Key.Contains(property.Name) && property.ColumnName is null)
            {
                // The key of an owned type in its owner's table is the owner's key: its columns are the owner's.
                continue;
            }

            string column = property.ColumnName ?? (split ? $"{Prefix(entity)}_{property.Name}" : property.Name);
            columns.Add(new Column(column, property.Name, property.ClrType, Nullable(property), property.Line));
        }

        // TPH: a derived type's columns and its base's, in the base's table. TPT: the derived table holds
        // its own columns and the base's key.
        for (var current = entity.BaseType is null ? null : entities.GetValueOrDefault(entity.BaseType); current is not null;
             current = current.BaseType is null ? null : entities.GetValueOrDefault(current.BaseType))
        {
            var baseTable = TableOf(current, entities, defaultSchema);
            bool sameTable = (baseTable.Schema, baseTable.Table) == (schema, table);
            foreach (var property in current.Properties.Values.Where(p => sameTable || current.Key.Contains(p.Name)))
            {
                string column = property.ColumnName ?? property.Name;
                if (!columns.Any(c => c.Name == column))
                {
                    columns.Add(new Column(column, property.Name, property.ClrType, sameTable ? Nullable(property) : false, property.Line));
                }
            }
        }

        if (columns.Count > 0)
        {
            yield return new Mapping(DisplayName(entity), schema, table, view, columns, entity.File, entity.Line, split ? DisplayName(root) : null);
        }
    }

    /// <summary>CLR value types a snapshot names (enums appear as their provider type, e.g. int).</summary>
    private static readonly HashSet<string> ValueTypes = new(
    [
        "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal", "char",
        "DateTime", "DateTimeOffset", "DateOnly", "TimeOnly", "TimeSpan", "Guid",
    ], StringComparer.Ordinal);

    /// <summary>Whether the column may hold NULL as the model maps it: a nullable or reference CLR type not marked required.</summary>
    private static bool Nullable(Property property) =>
        !property.Required && (property.ClrType.EndsWith('?') || !ValueTypes.Contains(property.ClrType.Replace("System.", "", StringComparison.Ordinal)));

    private static (string? Schema, string Table, bool View) TableOf(Entity entity, Dictionary<string, Entity> entities, string? defaultSchema)
    {
        for (var current = entity; current is not null;)
        {
            if (current.Table is not null)
            {
                return (current.Schema ?? defaultSchema, current.Table, current.IsView);
            }

            current = current.BaseType is not null ? entities.GetValueOrDefault(current.BaseType) : current.OwnsMany ? null : current.Owner;
        }

        string name = entity.Name.Split('#')[^1];
        return (defaultSchema, name[(name.LastIndexOf('.') + 1)..], false);
    }

    private static Entity Root(Entity entity)
    {
        var current = entity;
        while (current.Owner is not null && !current.OwnsMany)
        {
            current = current.Owner;
        }

        return current;
    }

    /// <summary>Navigation names from the table's entity down to this owned type (EF's column prefix).</summary>
    private static string Prefix(Entity entity) =>
        entity.Owner is { } owner && owner.Owner is not null && !owner.OwnsMany ? $"{Prefix(owner)}_{entity.Navigation}" : entity.Navigation ?? "";

    private static string DisplayName(Entity entity) => entity.Owner is null ? entity.Name : $"{DisplayName(entity.Owner)}.{entity.Navigation}";

    /// <summary>The calls of a fluent chain, innermost (first) first.</summary>
    private static List<InvocationExpressionSyntax> Chain(ExpressionSyntax expression)
    {
        var calls = new List<InvocationExpressionSyntax>();
        while (expression is InvocationExpressionSyntax call)
        {
            calls.Insert(0, call);
            expression = call.Expression is MemberAccessExpressionSyntax member ? member.Expression : call.Expression;
        }

        return calls;
    }

    private static bool IsOn(InvocationExpressionSyntax call, string parameter) =>
        call.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } && receiver.Identifier.Text == parameter;

    private static string? Name(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
        IdentifierNameSyntax identifier => identifier.Identifier.Text,
        _ => null,
    };

    private static string? Literal(InvocationExpressionSyntax call, int index) =>
        call.ArgumentList.Arguments.Count > index && call.ArgumentList.Arguments[index].Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal.Token.ValueText
            : null;
}
