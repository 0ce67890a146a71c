using FluentMigrator.Expressions;
using FluentMigrator.Model;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Planning;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>A column as it will be after the contract, and how to compute it from the old shape.</summary>
/// <param name="Final">Its definition after the contract (name, type, nullability, default).</param>
/// <param name="Up">SQL expression over the old shape of the row that gives its value.</param>
public sealed record RewrittenColumn(ColumnDefinition Final, string Up)
{
    public string Name => Final.Name;
}

/// <summary>
/// The machinery behind every operation that replaces some columns with others (rename, change type,
/// split, merge): the new columns are added nullable with no default (under a shadow name when one
/// keeps an old name), a <see cref="SyncTrigger"/> keeps both shapes equal while both versions write,
/// the backfill fills the new side for older rows, and the contract proves NOT NULL without a long
/// lock, moves defaults, drops the trigger and the old columns and gives shadows their final names, in
/// one short transaction. Rollback drops the trigger and the new columns.
/// </summary>
internal sealed class ColumnRewrite(
    string schema,
    string table,
    IReadOnlyList<string> oldColumns,
    IReadOnlyList<RewrittenColumn> newColumns,
    IReadOnlyList<SyncAssignment> down,
    string label)
{
    /// <summary>Where a new column lives during the window: its own name, or a shadow when it keeps an old name.</summary>
    public string Physical(ISqlDialect dialect, RewrittenColumn column) =>
        oldColumns.Contains(column.Name) ? ShadowName(dialect, column.Name) : column.Name;

    public IReadOnlyList<SchemaTarget> Targets() =>
        [.. oldColumns.Concat(newColumns.Select(c => c.Name)).Distinct().Select(c => new SchemaTarget(schema, table, c))];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var model = Validate(context);
        var statements = new List<PlannedStatement>();
        foreach (var column in newColumns)
        {
            statements.AddRange(context.Dialect.Generate(new CreateColumnExpression
            {
                SchemaName = schema,
                TableName = table,
                Column = ColumnModel.PlainNullable(column.Final, Physical(context.Dialect, column), table),
            }));
        }

        if (!context.Dialect.TriggersFillBeforeChecks)
        {
            // The trigger fills the old side only after the row's checks (SQL Server): the new version's
            // inserts, which leave an old NOT NULL column out, would fail before it runs. Such columns
            // let NULL in for the window (the contract drops them; the rollback proves them again).
            statements.AddRange(OpenedOldColumns(context, model).Select(c => context.Dialect.DropNotNull(schema, table, c, filledByTrigger: true)));
        }

        statements.AddRange(Trigger(context, model).Create);
        return statements;
    }

    public BackfillSpec Backfill(OperationContext context)
    {
        // A row is pending when its new side is all NULL and up gives something, or when a column that
        // becomes NOT NULL is still NULL and up gives it (a version wrote only some new columns). Such a
        // partly written row keeps what was written: only its NULL required columns are filled.
        var model = context.Schema.GetTable(schema, table);
        var d = context.Dialect;
        string Physical(RewrittenColumn c) => d.Quote(this.Physical(d, c));
        string allNull = string.Join(" AND ", newColumns.Select(c => $"{Physical(c)} IS NULL"));
        string anyValue = string.Join(" OR ", newColumns.Select(c => $"({c.Up}) IS NOT NULL"));
        string set = string.Join(", ", newColumns.Select(c => IsRequired(c)
            ? $"{Physical(c)} = coalesce({Physical(c)}, ({c.Up}))"
            : $"{Physical(c)} = CASE WHEN {allNull} THEN ({c.Up}) ELSE {Physical(c)} END"));
        string pending = $"{allNull} AND ({anyValue})";
        var required = newColumns.Where(IsRequired).ToList();
        if (required.Count > 0 && newColumns.Count > 1)
        {
            pending = $"({pending}) OR " + string.Join(" OR ", required.Select(c => $"({Physical(c)} IS NULL AND ({c.Up}) IS NOT NULL)"));
        }
        else if (newColumns.Count == 1)
        {
            set = $"{Physical(newColumns[0])} = ({newColumns[0].Up})";
        }

        return new BackfillSpec(table, KeyColumn(model), set, pending, schema);
    }

    /// <summary>True for a new column the contract makes NOT NULL.</summary>
    private static bool IsRequired(RewrittenColumn column) => column.Final.IsNullable == false || column.Final.IsPrimaryKey;

    /// <summary>What the contract will prove by VALIDATE, as queries that count the rows breaking it:
    /// the gate runs them so that an open gate means the contract's validations succeed.</summary>
    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context) =>
        [.. newColumns.Where(IsRequired).Select(c => NoNulls(context, schema, table, c.Name, Physical(context.Dialect, c)))];

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        var statements = new List<PlannedStatement>();
        var last = new List<PlannedStatement>();
        foreach (var column in newColumns.Where(c => c.Final.IsNullable == false || c.Final.IsPrimaryKey))
        {
            var (prove, set) = NotNull(context, schema, table, Physical(context.Dialect, column));
            statements.AddRange(prove);
            last.AddRange(set);
        }

        foreach (var column in newColumns.Where(c => new ColumnModel(c.Final).HasDefault))
        {
            last.AddRange(context.Dialect.Generate(new AlterDefaultConstraintExpression
            {
                SchemaName = schema,
                TableName = table,
                ColumnName = Physical(context.Dialect, column),
                DefaultValue = column.Final.DefaultValue,
            }));
        }

        last.AddRange(Trigger(context, model).Drop);
        ColumnReplacement? replacement = null;
        if (oldColumns.Count == 1 && newColumns.Count == 1)
        {
            // One column replaces one (rename, change type): the dialect moves what reads the old column
            // (PostgreSQL's views and checks) onto the new one in this same transaction, then the old
            // column goes (docs/operations.md).
            replacement = context.Dialect.ReplaceColumn(schema, table, oldColumns[0], Physical(context.Dialect, newColumns[0]), newColumns[0].Name, OwnChecks);
            if (replacement.First is { } first)
            {
                last.Insert(0, first);
            }

            last.AddRange(replacement.Steps);
        }
        else
        {
            last.AddRange(context.Dialect.Generate(new DeleteColumnExpression
            {
                SchemaName = schema,
                TableName = table,
                ColumnNames = [.. oldColumns],
            }));
            foreach (var column in newColumns.Where(c => Physical(context.Dialect, c) != c.Name))
            {
                last.Add(context.Dialect.RenameColumn(schema, table, Physical(context.Dialect, column), column.Name));
            }
        }

        statements.AddRange(last);
        if (replacement is { Afterwards.Count: > 0 })
        {
            // What the replacement proves afterwards (PostgreSQL: the CHECK constraints carried over to
            // the new column NOT VALID) runs in a transaction of its own, as every VALIDATE does.
            statements.Add(Boundary);
            statements.AddRange(replacement.Afterwards);
        }

        return statements;
    }

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        List<PlannedStatement> statements =
        [
            .. Trigger(context, model).Drop,
            .. newColumns.Select(c => context.Dialect.DropColumn(schema, table, Physical(context.Dialect, c)).Guarded(OwnedObject.Column(schema, table, Physical(context.Dialect, c)))),
        ];
        if (!context.Dialect.TriggersFillBeforeChecks)
        {
            foreach (var column in OpenedOldColumns(context, model))
            {
                var (prove, set) = NotNull(context, schema, table, column.Name);
                statements.Add(Boundary);
                statements.AddRange(prove);
                statements.AddRange(set);
            }
        }

        return statements;
    }

    /// <summary>Old columns that are NOT NULL with no default: where triggers run after the checks, the
    /// expand lets them hold NULL during the window.</summary>
    private IEnumerable<ColumnModel> OpenedOldColumns(OperationContext context, TableModel model) =>
        oldColumns.Select(model.GetColumn).Where(c => !c.IsNullable && !c.HasDefault && !c.Definition.IsPrimaryKey);

    /// <summary>CHECK constraints this change itself put on the old columns (a type change's fit check):
    /// where the engine does not carry checks over to the new column, the contract drops them first.</summary>
    public IReadOnlyList<string> OwnChecks { get; init; } = [];

    public void ApplyTo(SchemaModel model)
    {
        var target = model.GetTable(schema, table);
        foreach (var column in oldColumns)
        {
            target.RemoveColumn(column);
        }

        foreach (var column in newColumns)
        {
            target.AddColumn(new ColumnModel((ColumnDefinition)column.Final.Clone()));
        }
    }

    private TableModel Validate(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        foreach (string column in oldColumns)
        {
            if (model.GetColumn(column).Definition.IsPrimaryKey)
            {
                throw BadInput($"{schema}.{table}.{column} is the primary key: rewriting a primary key column is not supported (add a new key column instead)");
            }
        }

        foreach (var column in newColumns)
        {
            if (!oldColumns.Contains(column.Name) && model.FindColumn(column.Name) is not null)
            {
                throw BadInput($"{schema}.{table} already has a column {column.Name}");
            }
        }

        return model;
    }

    private TriggerStatements Trigger(OperationContext context, TableModel model)
    {
        var d = context.Dialect;
        var kept = model.Columns.Select(c => c.Name).Where(c => !oldColumns.Contains(c)).ToList();
        return d.ColumnSync(new ColumnSync(
            context.ChangeId,
            schema,
            table,
            label,
            model.KeyColumns,
            [.. newColumns.Select(c => new SyncAssignment(Physical(d, c), c.Up))],
            down)
        {
            OldShape = [.. model.Columns.Select(c => c.Name)],
            Required = newColumns.Count > 1 ? [.. newColumns.Where(IsRequired).Select(c => Physical(d, c))] : [],
            NewShape = [.. kept.Select(c => (c, c)), .. newColumns.Select(c => (c.Name, Physical(d, c)))],
        });
    }
}
