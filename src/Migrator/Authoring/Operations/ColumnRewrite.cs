using FluentMigrator.Expressions;
using FluentMigrator.Model;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
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
    private string QualifiedTable => PgSql.Qualified(schema, table);

    /// <summary>Where a new column lives during the window: its own name, or a shadow when it keeps an old name.</summary>
    public string Physical(RewrittenColumn column) =>
        oldColumns.Contains(column.Name) ? ShadowName(column.Name) : column.Name;

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
                Column = ColumnModel.PlainNullable(column.Final, Physical(column), table),
            }));
        }

        statements.AddRange(Trigger(context, model).Create());
        return statements;
    }

    public BackfillSpec Backfill(OperationContext context)
    {
        // A row is pending when its new side is all NULL and up gives something, or when a column that
        // becomes NOT NULL is still NULL and up gives it (a version wrote only some new columns). Such a
        // partly written row keeps what was written: only its NULL required columns are filled.
        var model = context.Schema.GetTable(schema, table);
        string allNull = string.Join(" AND ", newColumns.Select(c => $"{PgSql.Ident(Physical(c))} IS NULL"));
        string anyValue = string.Join(" OR ", newColumns.Select(c => $"({c.Up}) IS NOT NULL"));
        string set = string.Join(", ", newColumns.Select(c => IsRequired(c)
            ? $"{PgSql.Ident(Physical(c))} = coalesce({PgSql.Ident(Physical(c))}, ({c.Up}))"
            : $"{PgSql.Ident(Physical(c))} = CASE WHEN {allNull} THEN ({c.Up}) ELSE {PgSql.Ident(Physical(c))} END"));
        string pending = $"{allNull} AND ({anyValue})";
        var required = newColumns.Where(IsRequired).ToList();
        if (required.Count > 0 && newColumns.Count > 1)
        {
            pending = $"({pending}) OR " + string.Join(" OR ", required.Select(c => $"({PgSql.Ident(Physical(c))} IS NULL AND ({c.Up}) IS NOT NULL)"));
        }
        else if (newColumns.Count == 1)
        {
            set = $"{PgSql.Ident(Physical(newColumns[0]))} = ({newColumns[0].Up})";
        }

        return new BackfillSpec(table, KeyColumn(model), set, pending, schema);
    }

    /// <summary>True for a new column the contract makes NOT NULL.</summary>
    private static bool IsRequired(RewrittenColumn column) => column.Final.IsNullable == false || column.Final.IsPrimaryKey;

    /// <summary>What the contract will prove by VALIDATE, as queries that count the rows breaking it:
    /// the gate runs them so that an open gate means the contract's validations succeed.</summary>
    public IReadOnlyList<ContractPrecondition> Preconditions() =>
        [.. newColumns.Where(IsRequired).Select(c => NoNulls(schema, table, c.Name, Physical(c)))];

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        var statements = new List<PlannedStatement>();
        var last = new List<PlannedStatement>();
        foreach (var column in newColumns.Where(c => c.Final.IsNullable == false || c.Final.IsPrimaryKey))
        {
            var (prove, set) = NotNull(context, schema, table, Physical(column));
            statements.AddRange(prove);
            last.Add(set);
        }

        foreach (var column in newColumns.Where(c => new ColumnModel(c.Final).HasDefault))
        {
            last.AddRange(context.Dialect.Generate(new AlterDefaultConstraintExpression
            {
                SchemaName = schema,
                TableName = table,
                ColumnName = Physical(column),
                DefaultValue = column.Final.DefaultValue,
            }));
        }

        last.AddRange(Trigger(context, model).Drop());
        if (oldColumns.Count == 1 && newColumns.Count == 1)
        {
            // One column replaces one (rename, change type): the views that read the old column are
            // moved onto the new one in this same transaction (HeldViews), then the old column goes.
            // The views are held first, before anything locks the table: a reader locks a view before
            // the tables under it, so taking them in the same order cannot deadlock with one.
            last.Insert(0, HeldViews.Hold(context.Dialect.LedgerSchema, schema, table, oldColumns[0]));
            last.AddRange(Replace(context.Dialect.LedgerSchema, oldColumns[0], newColumns[0]));
        }
        else
        {
            last.AddRange(context.Dialect.Generate(new DeleteColumnExpression
            {
                SchemaName = schema,
                TableName = table,
                ColumnNames = [.. oldColumns],
            }));
            foreach (var column in newColumns.Where(c => Physical(c) != c.Name))
            {
                last.Add(new PlannedStatement($"ALTER TABLE {QualifiedTable} RENAME COLUMN {PgSql.Ident(Physical(column))} TO {PgSql.Ident(column.Name)};"));
            }
        }

        statements.AddRange(last);
        if (oldColumns.Count == 1 && newColumns.Count == 1)
        {
            // CHECK constraints carried over to the new column were added NOT VALID: proven here, in a
            // transaction of their own, as every VALIDATE is.
            statements.Add(Boundary);
            statements.Add(HeldViews.ValidateChecks(context.Dialect.LedgerSchema, schema, table));
        }

        return statements;
    }

    /// <summary>Hold the old column's views and CHECK constraints, rename it aside, give the new column its
    /// name, recreate the views (they bind to the new column), drop the old column, add its checks again
    /// on the new one, and give that its final name.</summary>
    private IEnumerable<PlannedStatement> Replace(string ledgerSchema, string old, RewrittenColumn replacement)
    {
        string aside = PgNames.Fit($"migrator_old_{old}");
        yield return new PlannedStatement($"ALTER TABLE {QualifiedTable} RENAME COLUMN {PgSql.Ident(old)} TO {PgSql.Ident(aside)};");
        yield return new PlannedStatement($"ALTER TABLE {QualifiedTable} RENAME COLUMN {PgSql.Ident(Physical(replacement))} TO {PgSql.Ident(old)};");
        yield return HeldViews.Recreate(ledgerSchema, schema, table, old);
        yield return new PlannedStatement($"ALTER TABLE {QualifiedTable} DROP COLUMN {PgSql.Ident(aside)};");
        yield return HeldViews.RecreateChecks(ledgerSchema, schema, table, old);
        if (replacement.Name != old)
        {
            yield return new PlannedStatement($"ALTER TABLE {QualifiedTable} RENAME COLUMN {PgSql.Ident(old)} TO {PgSql.Ident(replacement.Name)};");
        }
    }

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        return
        [
            .. Trigger(context, model).Drop(),
            .. newColumns.Select(c => new PlannedStatement($"ALTER TABLE {QualifiedTable} DROP COLUMN IF EXISTS {PgSql.Ident(Physical(c))};").Guarded(OwnedObject.Column(schema, table, Physical(c)))),
        ];
    }

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

    private SyncTrigger Trigger(OperationContext context, TableModel model)
    {
        var kept = model.Columns.Select(c => c.Name).Where(c => !oldColumns.Contains(c)).ToList();
        return new SyncTrigger(
            context.Dialect.LedgerSchema,
            context.ChangeId,
            schema,
            table,
            label,
            [.. newColumns.Select(c => new SyncAssignment(Physical(c), c.Up))],
            down)
        {
            OldShape = [.. model.Columns.Select(c => c.Name)],
            Required = newColumns.Count > 1 ? [.. newColumns.Where(IsRequired).Select(Physical)] : [],
            NewShape = [.. kept.Select(c => (c, c)), .. newColumns.Select(c => (c.Name, Physical(c)))],
        };
    }
}
