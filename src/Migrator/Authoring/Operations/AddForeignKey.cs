using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
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

        return [.. Leaves(model).Select(t => new PlannedStatement(AddSql(t.Schema, t.Name) + " NOT VALID;"))];
    }

    /// <summary>Where the key is added NOT VALID: the table, or each leaf partition of a partitioned one.</summary>
    private IEnumerable<(string Schema, string Name)> Leaves(TableModel? model) => model?.IsPartitioned == true
        ? OperationSupport.PostOrder(model.Partitions).Where(p => p.Children.Count == 0).Select(p => (p.Schema, p.Name))
        : [(schema, table)];

    private string AddSql(string onSchema, string onTable)
    {
        var (refSchema, refTable) = Split(referencedTable);
        return $"ALTER TABLE {PgSql.Qualified(onSchema, onTable)} ADD CONSTRAINT {PgSql.Ident(name)} FOREIGN KEY ({string.Join(", ", columns.Select(PgSql.Ident))}) " +
            $"REFERENCES {PgSql.Qualified(refSchema, refTable)} ({string.Join(", ", referencedColumns.Select(PgSql.Ident))}) ON DELETE {onDelete}";
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context)
    {
        var model = context.Schema.FindTable(schema, table);
        if (model?.IsPartitioned != true)
        {
            return [new PlannedStatement($"ALTER TABLE {PgSql.Qualified(schema, table)} VALIDATE CONSTRAINT {PgSql.Ident(name)};")];
        }

        return
        [
            .. Leaves(model).SelectMany(t => new[] { new PlannedStatement($"ALTER TABLE {PgSql.Qualified(t.Schema, t.Name)} VALIDATE CONSTRAINT {PgSql.Ident(name)};"), OperationSupport.Boundary }),
            new PlannedStatement(AddSql(schema, table) + ";"),
        ];
    }

    public IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context)
    {
        var (refSchema, refTable) = Split(referencedTable);
        string notNull = string.Join(" AND ", columns.Select(c => $"t.{PgSql.Ident(c)} IS NOT NULL"));
        string match = string.Join(" AND ", columns.Zip(referencedColumns, (c, r) => $"r.{PgSql.Ident(r)} = t.{PgSql.Ident(c)}"));
        return
        [
            new ContractPrecondition(
                $"every row of {schema}.{table} has its {string.Join(", ", columns)} in {refSchema}.{refTable} ({name})",
                $"SELECT 1 FROM {PgSql.Qualified(schema, table)} t WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM {PgSql.Qualified(refSchema, refTable)} r WHERE {match}) LIMIT 1"),
        ];
    }

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context) =>
        [.. Leaves(context.Schema.FindTable(schema, table)).Select(t =>
            new PlannedStatement($"ALTER TABLE {PgSql.Qualified(t.Schema, t.Name)} DROP CONSTRAINT IF EXISTS {PgSql.Ident(name)};").Guarded(OwnedObject.Constraint(t.Schema, t.Name, name)))];

    public void ApplyTo(SchemaModel model)
    {
    }

    private (string Schema, string Table) Split(string name) =>
        name.Split('.') is [var s, var t] ? (s, t) : (schema, name);
}
