using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Adds a foreign key without a long lock on either table. Expand: ADD CONSTRAINT … NOT VALID (a brief
/// SHARE ROW EXCLUSIVE lock on both tables, no scan; new writes are checked from then on). Contract:
/// VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the
/// referenced one: writes go on). Rollback drops the constraint.
/// PostgreSQL refuses NOT VALID foreign keys on a partitioned table, and adding one there scans every
/// partition under its lock. So on a partitioned table (from the baseline) expand adds the key NOT
/// VALID to each leaf partition, contract validates them one by one, each in its own transaction, and
/// then adds the parent's key, which finds the partitions' validated keys and attaches them without a
/// scan (measured: 3 ms instead of 8 s on 2 million rows).
/// </summary>
public sealed class AddForeignKey(
    string schema,
    string table,
    string name,
    IReadOnlyList<string> columns,
    string referencedTable,
    IReadOnlyList<string> referencedColumns,
    string onDelete = "NO ACTION") : IOperation, IHasContractPreconditions
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() =>
        $"add foreign key {name} on {schema}.{table} ({string.Join(", ", columns)}) → {referencedTable} ({string.Join(", ", referencedColumns)})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [.. columns.Select(c => new SchemaTarget(schema, table, c))];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        var model = context.Schema.GetTable(schema, table);
        foreach (string column in columns)
        {
            model.GetColumn(column);
        }

        var (refSchema, refTable) = Split(referencedTable);
        var referenced = context.Schema.GetTable(refSchema, refTable);
        foreach (string column in referencedColumns)
        {
            referenced.GetColumn(column);
        }

        if (!OnDeleteActions.Contains(onDelete.Trim()))
        {
            throw OperationSupport.BadInput($"foreign key {name}: ON DELETE must be one of {string.Join(", ", OnDeleteActions)}, not '{onDelete}'");
        }

        return [.. Leaves(model).Select(t => context.Dialect.AddForeignKey(t.Schema, t.Name, Key(), validated: false))];
    }

    /// <summary>Where the key is added NOT VALID: the table, or each leaf partition of a partitioned one.</summary>
    private IEnumerable<(string Schema, string Name)> Leaves(TableModel? model) => model?.IsPartitioned == true
        ? OperationSupport.PostOrder(model.Partitions).Where(p => p.Children.Count == 0).Select(p => (p.Schema, p.Name))
        : [(schema, table)];

    /// <summary>The referential actions both engines know, in any letter case.</summary>
    private static readonly HashSet<string> OnDeleteActions = new(["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"], StringComparer.OrdinalIgnoreCase);

    private ForeignKeySpec Key()
    {
        var (refSchema, refTable) = Split(referencedTable);
        return new ForeignKeySpec(name, columns, refSchema, refTable, referencedColumns, onDelete);
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var model = context.Schema.FindTable(schema, table);
        if (model?.IsPartitioned != true)
        {
            return [context.Dialect.ValidateConstraint(schema, table, name)];
        }

        return
        [
            .. Leaves(model).SelectMany(t => new[] { context.Dialect.ValidateConstraint(t.Schema, t.Name, name), OperationSupport.Boundary }),
            context.Dialect.AddForeignKey(schema, table, Key(), validated: true),
        ];
    }

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context)
    {
        var (refSchema, refTable) = Split(referencedTable);
        var d = context.Dialect;
        string notNull = string.Join(" AND ", columns.Select(c => $"t.{d.Quote(c)} IS NOT NULL"));
        string match = string.Join(" AND ", columns.Zip(referencedColumns, (c, r) => $"r.{d.Quote(r)} = t.{d.Quote(c)}"));
        return
        [
            new ContractPrecondition(
                $"every row of {schema}.{table} has its {string.Join(", ", columns)} in {refSchema}.{refTable} ({name})",
                d.FirstRow($"{d.Qualified(schema, table)} t WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM {d.Qualified(refSchema, refTable)} r WHERE {match})")),
        ];
    }

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
        [.. Leaves(context.Schema.FindTable(schema, table)).Select(t =>
            context.Dialect.DropConstraint(t.Schema, t.Name, name).Guarded(OwnedObject.Constraint(t.Schema, t.Name, name)))];

    public void ApplyTo(SchemaModel model)
    {
    }

    private (string Schema, string Table) Split(string name) =>
        name.Split('.') is [var s, var t] ? (s, t) : (schema, name);
}
