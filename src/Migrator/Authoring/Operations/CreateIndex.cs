using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Creates an index with CREATE INDEX CONCURRENTLY in expand (its own step, outside a transaction,
/// SHARE UPDATE EXCLUSIVE: reads and writes go on; a failed build's INVALID index is dropped before
/// the error is reported, and a re-run builds it again). Nothing to contract. Rollback: DROP INDEX
/// CONCURRENTLY IF EXISTS.
/// </summary>
public sealed class CreateIndex(string schema, string table, string name, IReadOnlyList<string> columns, bool unique = false, string? where = null, string? method = null) : IOperation
{
    /// <summary>On PostgreSQL: CONCURRENTLY, and per partition. Elsewhere a plain column list through
    /// the dialect's online build; expression columns, a WHERE and an access method are PostgreSQL's.</summary>
    public bool Supports(ISqlDialect dialect) =>
        dialect.Provider == "postgres" || (where is null && method is null && !columns.Any(c => c.Contains('(', StringComparison.Ordinal)));

    public string Describe() => $"create {(unique ? "unique " : "")}index {name} on {schema}.{table} ({string.Join(", ", columns)})";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context)
    {
        // Columns an earlier operation of this change adds are not in the model yet, but exist when
        // this index is built (its own step, after theirs).
        var model = context.Schema.GetTable(schema, table);
        foreach (string column in columns.Where(c => !c.Contains('(', StringComparison.Ordinal) && !context.AddedColumns.Contains((schema, table, c))))
        {
            model.GetColumn(column);
        }

        if (context.Dialect.Provider != "postgres")
        {
            return [context.Dialect.CreateIndexOnline(schema, table, name, columns, unique)];
        }

        if (model.IsPartitioned)
        {
            return [.. Partitioned(model)];
        }

        return
        [
            PostgresDialect.Classify(
                $"CREATE {(unique ? "UNIQUE " : "")}INDEX CONCURRENTLY {PgSql.Ident(name)} ON {PgSql.Qualified(schema, table)}{Shape}"),
        ];
    }

    private string Shape =>
        $"{(method is null ? "" : $" USING {method}")} ({string.Join(", ", columns.Select(c => c.Contains('(', StringComparison.Ordinal) ? c : PgSql.Ident(c)))}){(where is null ? "" : $" WHERE {where}")};";

    /// <summary>The index of one partition: the partition's name and the index's, within 63 bytes.</summary>
    private string PartitionIndex(PartitionNode partition) => PgNames.Fit($"{partition.Name}_{name}");

    /// <summary>
    /// PostgreSQL cannot build an index CONCURRENTLY on a partitioned table. So: the parent's index ON
    /// ONLY the parent (instant, INVALID until every partition has its own), then for each partition its
    /// own index built CONCURRENTLY (a sub-partitioned one gets an ON ONLY index and its partitions'
    /// in turn), each attached to its parent's index in a short transaction. Once the last is attached
    /// the parent's index is valid. Reads and writes go on throughout.
    /// </summary>
    private IEnumerable<PlannedStatement> Partitioned(TableModel model)
    {
        yield return new PlannedStatement($"CREATE {(unique ? "UNIQUE " : "")}INDEX {PgSql.Ident(name)} ON ONLY {PgSql.Qualified(schema, table)}{Shape}");
        foreach (var statement in Attach(PgSql.Qualified(schema, name), model.Partitions))
        {
            yield return statement;
        }
    }

    /// <summary>Each partition before its sub-partitions: an index attached above goes with the one above it.</summary>
    private static IEnumerable<PartitionNode> PreOrder(IEnumerable<PartitionNode> partitions) =>
        partitions.SelectMany(p => PreOrder(p.Children).Prepend(p));

    private IEnumerable<PlannedStatement> Attach(string parentIndex, IReadOnlyList<PartitionNode> partitions)
    {
        foreach (var partition in partitions)
        {
            string index = PgSql.Qualified(partition.Schema, PartitionIndex(partition));
            if (partition.Children.Count > 0)
            {
                yield return new PlannedStatement($"CREATE {(unique ? "UNIQUE " : "")}INDEX {PgSql.Ident(PartitionIndex(partition))} ON ONLY {PgSql.Qualified(partition.Schema, partition.Name)}{Shape}");
                foreach (var statement in Attach(index, partition.Children))
                {
                    yield return statement;
                }
            }
            else
            {
                yield return PostgresDialect.Classify(
                    $"CREATE {(unique ? "UNIQUE " : "")}INDEX CONCURRENTLY {PgSql.Ident(PartitionIndex(partition))} ON {PgSql.Qualified(partition.Schema, partition.Name)}{Shape}");
            }

            yield return new PlannedStatement($"ALTER INDEX {parentIndex} ATTACH PARTITION {index};");
        }
    }

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) => [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        var model = context.Schema.FindTable(schema, table);
        if (context.Dialect.Provider != "postgres")
        {
            return [context.Dialect.DropIndex(schema, table, name, partitioned: false).Guarded(OwnedObject.Relation(schema, name))];
        }

        if (model?.IsPartitioned != true)
        {
            return [PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {PgSql.Qualified(schema, name)};").Guarded(OwnedObject.Relation(schema, name))];
        }

        // A partitioned index cannot be dropped CONCURRENTLY; dropping it drops the partitions' indexes
        // attached to it. Those a partial expand built but had not attached yet are dropped on their own.
        return
        [
            new PlannedStatement($"DROP INDEX IF EXISTS {PgSql.Qualified(schema, name)};").Guarded(OwnedObject.Relation(schema, name)),
            .. PreOrder(model.Partitions).Select(p =>
                (p.Children.Count > 0
                    ? new PlannedStatement($"DROP INDEX IF EXISTS {PgSql.Qualified(p.Schema, PartitionIndex(p))};")
                    : PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {PgSql.Qualified(p.Schema, PartitionIndex(p))};"))
                .Guarded(OwnedObject.Relation(p.Schema, PartitionIndex(p)))),
        ];
    }

    public void ApplyTo(SchemaModel model)
    {
    }
}
