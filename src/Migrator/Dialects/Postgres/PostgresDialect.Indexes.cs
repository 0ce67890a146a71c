using Migrator.Schema;

namespace Migrator.Dialects.Postgres;

/// <summary>Indexes on PostgreSQL: built CONCURRENTLY, alone; on a partitioned table (known from the
/// baseline) the parent's index is made ON ONLY, each leaf partition's built CONCURRENTLY and attached,
/// sub-partitions the same way, so no step blocks writes to more than one partition.</summary>
public sealed partial class PostgresDialect
{
    public bool Supports(IndexSpec index) => true;

    public IReadOnlyList<PlannedStatement> CreateIndex(IndexSpec index, TableModel table) => table.IsPartitioned
        ? [.. Partitioned(index, table)]
        : [Classify($"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX CONCURRENTLY {Quote(index.Name)} ON {Qualified(index.Schema, index.Table)}{Shape(index)}")];

    public IReadOnlyList<PlannedStatement> DropIndex(IndexSpec index, TableModel? table)
    {
        if (table?.IsPartitioned != true)
        {
            return [PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {Qualified(index.Schema, index.Name)};").Guarded(OwnedObject.Relation(index.Schema, index.Name))];
        }

        // A partitioned index cannot be dropped CONCURRENTLY; dropping it drops the partitions' indexes
        // attached to it. Those a partial expand built but had not attached yet are dropped on their own.
        return
        [
            new PlannedStatement($"DROP INDEX IF EXISTS {Qualified(index.Schema, index.Name)};").Guarded(OwnedObject.Relation(index.Schema, index.Name)),
            .. PreOrder(table.Partitions).Select(p =>
                (p.Children.Count > 0
                    ? new PlannedStatement($"DROP INDEX IF EXISTS {Qualified(p.Schema, PartitionIndex(index, p))};")
                    : PlannedStatement.Alone($"DROP INDEX CONCURRENTLY IF EXISTS {Qualified(p.Schema, PartitionIndex(index, p))};"))
                .Guarded(OwnedObject.Relation(p.Schema, PartitionIndex(index, p)))),
        ];
    }

    private string Shape(IndexSpec index) =>
        $"{(index.Method is null ? "" : $" USING {index.Method}")} ({string.Join(", ", index.Columns.Select(c => c.Contains('(', StringComparison.Ordinal) ? c : Quote(c)))}){(index.Where is null ? "" : $" WHERE {index.Where}")};";

    private static string PartitionIndex(IndexSpec index, PartitionNode partition) => PgNames.Fit($"{partition.Name}_{index.Name}");

    private IEnumerable<PlannedStatement> Partitioned(IndexSpec index, TableModel model)
    {
        yield return new PlannedStatement($"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Quote(index.Name)} ON ONLY {Qualified(index.Schema, index.Table)}{Shape(index)}");
        foreach (var statement in Attach(index, Qualified(index.Schema, index.Name), model.Partitions))
        {
            yield return statement;
        }
    }

    private static IEnumerable<PartitionNode> PreOrder(IEnumerable<PartitionNode> partitions) =>
        partitions.SelectMany(p => PreOrder(p.Children).Prepend(p));

    private IEnumerable<PlannedStatement> Attach(IndexSpec index, string parentIndex, IReadOnlyList<PartitionNode> partitions)
    {
        string unique = index.Unique ? "UNIQUE " : "";
        foreach (var partition in partitions)
        {
            string qualified = Qualified(partition.Schema, PartitionIndex(index, partition));
            if (partition.Children.Count > 0)
            {
                yield return new PlannedStatement($"CREATE {unique}INDEX {Quote(PartitionIndex(index, partition))} ON ONLY {Qualified(partition.Schema, partition.Name)}{Shape(index)}");
                foreach (var statement in Attach(index, qualified, partition.Children))
                {
                    yield return statement;
                }
            }
            else
            {
                yield return Classify(
                    $"CREATE {unique}INDEX CONCURRENTLY {Quote(PartitionIndex(index, partition))} ON {Qualified(partition.Schema, partition.Name)}{Shape(index)}");
            }

            yield return new PlannedStatement($"ALTER INDEX {parentIndex} ATTACH PARTITION {qualified};");
        }
    }
}
