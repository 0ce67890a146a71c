using Microsoft.SqlServer.TransactSql.ScriptDom;
using Migrator.Analyzers.Sql;

namespace Migrator.Dialects.SqlServer;

/// <summary>
/// What each statement of a T-SQL text does, as the hazard rules and the compatibility checker read it:
/// the same <see cref="DdlEffect"/>s PostgreSQL's grammar gives, read from Microsoft's own parser
/// (ScriptDom, SQL Server 2022 grammar), each at its statement's offset. <c>GO</c> separates batches;
/// a statement the parser cannot read makes the whole text one <see cref="DdlKind.Other"/> effect whose
/// <see cref="DdlEffect.Detail"/> names the first error.
/// </summary>
public static class TSqlDdlReader
{
    /// <summary>The marker of a text ScriptDom could not read (<see cref="DdlEffect.Detail"/>).</summary>
    public const string Unreadable = "unreadable T-SQL";

    /// <summary>The comment that marks a column opened to NULL only while a trigger fills it in the same
    /// statement (<see cref="ISqlDialect.DropNotNull"/>): no reader sees a NULL, so it is no DROP NOT NULL
    /// to the rules and the checker.</summary>
    public const string FilledByTrigger = "/* migrator: filled by a trigger in the same statement during the window */";

    /// <summary>The <see cref="DdlEffect.Detail"/> of BEGIN TRANSACTION (a BEGIN … END block is not one).</summary>
    public const string TransactionBegin = "transaction begin";

    /// <summary>The <see cref="DdlEffect.Detail"/> of COMMIT and ROLLBACK.</summary>
    public const string TransactionEnd = "transaction end";

    public static IReadOnlyList<DdlEffect> Read(string sql)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out IList<ParseError> errors);
        if (errors.Count > 0)
        {
            var error = errors[0];
            return [new DdlEffect(DdlKind.Other, sql) { Offset = 0, Length = sql.Length, Detail = $"{Unreadable}: line {error.Line}: {error.Message}" }];
        }

        var effects = new List<DdlEffect>();
        foreach (var statement in ((TSqlScript)fragment).Batches.SelectMany(b => b.Statements))
        {
            string text = sql.Substring(statement.StartOffset, statement.FragmentLength);
            var read = Effects(statement, text, sql).ToList();
            if (read.Count == 0)
            {
                read.Add(new DdlEffect(DdlKind.Other, text));
            }

            foreach (var effect in read)
            {
                effect.Offset = statement.StartOffset;
                effect.Length = statement.FragmentLength;
                effects.Add(effect);
            }
        }

        return effects;
    }

    private static IEnumerable<DdlEffect> Effects(TSqlStatement statement, string text, string source)
    {
        switch (statement)
        {
            case CreateTableStatement create:
                {
                    var effect = On(DdlKind.CreateTable, text, create.SchemaObjectName);
                    effect.Columns.AddRange(create.Definition?.ColumnDefinitions.Select(c => Declare(c, source)) ?? []);
                    yield return effect;
                    break;
                }

            case DropTableStatement drop:
                foreach (var name in drop.Objects)
                {
                    var effect = On(DdlKind.DropTable, text, name);
                    effect.IfExists = drop.IsIfExists;
                    yield return effect;
                }

                break;

            case AlterTableAddTableElementStatement add:
                foreach (var column in add.Definition.ColumnDefinitions)
                {
                    var effect = On(DdlKind.AddColumn, text, add.SchemaObjectName);
                    effect.Column = column.ColumnIdentifier.Value;
                    effect.Declaration = Declare(column, source);
                    effect.Type = effect.Declaration.Type;
                    yield return effect;
                }

                foreach (var constraint in add.Definition.TableConstraints)
                {
                    var effect = On(DdlKind.AddConstraint, text, add.SchemaObjectName);
                    effect.NewName = constraint.ConstraintIdentifier?.Value;
                    effect.NotValid = add.ExistingRowsCheckEnforcement == ConstraintEnforcement.NoCheck;
                    switch (constraint)
                    {
                        case CheckConstraintDefinition:
                            effect.ConstraintKind = "check";
                            break;
                        case ForeignKeyConstraintDefinition fk:
                            effect.ConstraintKind = "foreign key";
                            effect.KeyColumns.AddRange(fk.Columns.Select(c => c.Value));
                            break;
                        case UniqueConstraintDefinition unique:
                            effect.ConstraintKind = unique.IsPrimaryKey ? "primary key" : "unique";
                            effect.KeyColumns.AddRange(unique.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value));
                            effect.Concurrently = unique.IndexOptions.OfType<OnlineIndexOption>().Any(o => o.OptionState == OptionState.On);
                            break;
                        default:
                            effect.ConstraintKind = "other";
                            break;
                    }

                    yield return effect;
                }

                break;

            case AlterTableAlterColumnStatement when text.Contains(FilledByTrigger, StringComparison.Ordinal):
                yield return new DdlEffect(DdlKind.Other, text) { Detail = "column open to NULL while a trigger fills it" };
                break;

            case AlterTableAlterColumnStatement alter:
                {
                    if (alter.DataType is not null)
                    {
                        var retype = On(DdlKind.AlterColumnType, text, alter.SchemaObjectName);
                        retype.Column = alter.ColumnIdentifier.Value;
                        retype.Type = Text(alter.DataType, source);
                        retype.NewName = retype.Type;
                        yield return retype;
                    }

                    if (alter.AlterTableAlterColumnOption is AlterTableAlterColumnOption.NotNull or AlterTableAlterColumnOption.Null)
                    {
                        var nullability = On(alter.AlterTableAlterColumnOption == AlterTableAlterColumnOption.NotNull ? DdlKind.SetNotNull : DdlKind.DropNotNull, text, alter.SchemaObjectName);
                        nullability.Column = alter.ColumnIdentifier.Value;
                        yield return nullability;
                    }

                    break;
                }

            case AlterTableConstraintModificationStatement modify:
                foreach (var name in modify.ConstraintNames)
                {
                    var effect = On(modify.ExistingRowsCheckEnforcement == ConstraintEnforcement.Check && modify.ConstraintEnforcement == ConstraintEnforcement.Check
                        ? DdlKind.ValidateConstraint
                        : DdlKind.Other, text, modify.SchemaObjectName);
                    effect.NewName = name.Value;
                    yield return effect;
                }

                break;

            case AlterTableDropTableElementStatement drop:
                foreach (var element in drop.AlterTableDropTableElements)
                {
                    var effect = On(element.TableElementType switch
                    {
                        TableElementType.Column => DdlKind.DropColumn,
                        TableElementType.Constraint or TableElementType.NotSpecified => DdlKind.DropConstraint,
                        _ => DdlKind.Other,
                    }, text, drop.SchemaObjectName);
                    if (effect.Kind == DdlKind.DropColumn)
                    {
                        effect.Column = element.Name.Value;
                    }
                    else
                    {
                        effect.NewName = element.Name.Value;
                    }

                    effect.IfExists = element.IsIfExists;
                    yield return effect;
                }

                break;

            case CreateIndexStatement index:
                {
                    var effect = On(DdlKind.CreateIndex, text, index.OnName);
                    effect.IndexName = index.Name.Value;
                    effect.Unique = index.Unique;
                    effect.KeyColumns.AddRange(index.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value));
                    effect.Concurrently = index.IndexOptions.OfType<OnlineIndexOption>().Any(o => o.OptionState == OptionState.On);
                    yield return effect;
                    break;
                }

            case DropIndexStatement drop:
                foreach (var clause in drop.DropIndexClauses.OfType<DropIndexClause>())
                {
                    var effect = On(DdlKind.DropIndex, text, clause.Object);
                    effect.IndexName = clause.Index.Value;
                    effect.IfExists = drop.IsIfExists;
                    effect.Concurrently = clause.Options.OfType<OnlineIndexOption>().Any(o => o.OptionState == OptionState.On);
                    yield return effect;
                }

                break;

            case ViewStatementBody view:
                {
                    var effect = On(DdlKind.CreateView, text, view.SchemaObjectName);
                    if (view.SelectStatement?.QueryExpression is QuerySpecification { SelectElements: [SelectStarExpression], FromClause.TableReferences: [NamedTableReference from] })
                    {
                        effect.ViewOf = Name(from.SchemaObject);
                    }

                    yield return effect;
                    break;
                }

            case DropViewStatement drop:
                foreach (var name in drop.Objects)
                {
                    var effect = On(DdlKind.DropView, text, name);
                    effect.IfExists = drop.IsIfExists;
                    yield return effect;
                }

                break;

            case TruncateTableStatement truncate:
                yield return On(DdlKind.Truncate, text, truncate.TableName);
                break;

            case DropSchemaStatement schema:
                yield return new DdlEffect(DdlKind.DropSchema, text) { Table = schema.Schema.BaseIdentifier.Value };
                break;

            case DropDatabaseStatement database:
                yield return new DdlEffect(DdlKind.DropSchema, text) { Table = string.Join(", ", database.Databases.Select(d => d.Value)) };
                break;

            case ExecuteStatement execute when Rename(execute, text) is { } rename:
                yield return rename;
                break;

            case SetCommandStatement set when set.Commands.OfType<GeneralSetCommand>().Any(c => c.CommandType == GeneralSetCommandType.LockTimeout):
                yield return new DdlEffect(DdlKind.SetLockTimeout, text);
                break;

            case BeginTransactionStatement:
                yield return new DdlEffect(DdlKind.Other, text) { Detail = TransactionBegin };
                break;

            case CommitTransactionStatement or RollbackTransactionStatement:
                yield return new DdlEffect(DdlKind.Other, text) { Detail = TransactionEnd };
                break;

            case UpdateStatement { UpdateSpecification.Target: NamedTableReference target }:
                yield return On(DdlKind.Update, text, target.SchemaObject);
                break;

            case InsertStatement { InsertSpecification.Target: NamedTableReference target }:
                yield return On(DdlKind.Insert, text, target.SchemaObject);
                break;

            case DeleteStatement { DeleteSpecification.Target: NamedTableReference target }:
                yield return On(DdlKind.Delete, text, target.SchemaObject);
                break;
        }
    }

    /// <summary>EXEC sp_rename 'schema.table[.column]', 'new' [, 'COLUMN' | 'OBJECT']: a column or a table renamed.</summary>
    private static DdlEffect? Rename(ExecuteStatement execute, string text)
    {
        if (execute.ExecuteSpecification?.ExecutableEntity is not ExecutableProcedureReference
            {
                ProcedureReference.ProcedureReference.Name: var procedure,
                Parameters: var parameters,
            }
            || !string.Equals(procedure.BaseIdentifier.Value, "sp_rename", StringComparison.OrdinalIgnoreCase)
            || parameters.Count < 2
            || parameters[0].ParameterValue is not StringLiteral from
            || parameters[1].ParameterValue is not StringLiteral to)
        {
            return null;
        }

        string kind = parameters.Count > 2 && parameters[2].ParameterValue is StringLiteral k ? k.Value.ToUpperInvariant() : "OBJECT";
        var parts = Parts(from.Value);
        if (kind == "COLUMN" && parts.Count >= 2)
        {
            return new DdlEffect(DdlKind.RenameColumn, text)
            {
                Schema = parts.Count >= 3 ? parts[^3] : null,
                Table = parts[^2],
                Column = parts[^1],
                NewName = to.Value,
            };
        }

        return kind == "OBJECT" && parts.Count >= 1
            ? new DdlEffect(DdlKind.RenameTable, text) { Schema = parts.Count >= 2 ? parts[^2] : null, Table = parts[^1], NewName = to.Value }
            : new DdlEffect(DdlKind.Other, text) { Detail = "sp_rename " + kind.ToLowerInvariant() };
    }

    /// <summary>A multi-part name as sp_rename takes it: dots between parts, each part bare or in brackets
    /// (<c>]]</c> inside) or double quotes.</summary>
    internal static List<string> Parts(string name)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '[' || c == '"')
            {
                char close = c == '[' ? ']' : '"';
                for (i++; i < name.Length; i++)
                {
                    if (name[i] == close)
                    {
                        if (i + 1 < name.Length && name[i + 1] == close)
                        {
                            current.Append(close);
                            i++;
                            continue;
                        }

                        break;
                    }

                    current.Append(name[i]);
                }
            }
            else if (c == '.')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static ColumnDeclaration Declare(ColumnDefinition column, string source)
    {
        bool notNull = column.Constraints.OfType<NullableConstraintDefinition>().Any(n => !n.Nullable)
            || column.Constraints.OfType<UniqueConstraintDefinition>().Any(u => u.IsPrimaryKey);
        string type = column.DataType is null ? "" : Text(column.DataType, source);
        var declaration = new ColumnDeclaration(column.ColumnIdentifier.Value, type, notNull, column.DefaultConstraint is not null)
        {
            Generated = column.IdentityOptions is not null || column.ComputedColumnExpression is not null && column.IsPersisted,
            References = column.Constraints.OfType<ForeignKeyConstraintDefinition>().Any(),
            Unique = column.Constraints.OfType<UniqueConstraintDefinition>().Any(u => !u.IsPrimaryKey),
            PrimaryKey = column.Constraints.OfType<UniqueConstraintDefinition>().Any(u => u.IsPrimaryKey),
            Check = column.Constraints.OfType<CheckConstraintDefinition>().Any(),
        };
        if (column.DefaultConstraint?.Expression is { } expression)
        {
            var calls = new CallFinder();
            expression.Accept(calls);
            declaration.DefaultCalls.AddRange(calls.Names);
        }

        return declaration;
    }

    private static DdlEffect On(DdlKind kind, string text, SchemaObjectName name) => new(kind, text)
    {
        Schema = name.SchemaIdentifier?.Value,
        Table = name.BaseIdentifier.Value,
    };

    private static string Name(SchemaObjectName name) =>
        name.SchemaIdentifier is null ? name.BaseIdentifier.Value : name.SchemaIdentifier.Value + "." + name.BaseIdentifier.Value;

    private static string Text(TSqlFragment fragment, string source) => source.Substring(fragment.StartOffset, fragment.FragmentLength);

    /// <summary>The functions an expression calls, lower case, schema-qualified where written so
    /// (a user's function is never a runtime constant).</summary>
    private sealed class CallFinder : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];

        public override void Visit(FunctionCall node)
        {
            string name = node.FunctionName.Value.ToLowerInvariant();
            Names.Add(node.CallTarget is MultiPartIdentifierCallTarget target
                ? string.Join(".", target.MultiPartIdentifier.Identifiers.Select(i => i.Value.ToLowerInvariant())) + "." + name
                : name);
        }
    }
}
