using FluentMigrator;
using FluentMigrator.Model;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>Pieces several operations share.</summary>
internal static class OperationSupport
{
    /// <summary>Ends the current transaction: the statements after it run in a new one.</summary>
    public static PlannedStatement Boundary => PlannedStatement.Commit;

    /// <summary>The key a keyset backfill walks: the primary key the model knows (one column or
    /// several), or null to let the backfill find it on the live table.</summary>
    public static string? KeyColumn(TableModel table)
    {
        var keys = table.KeyColumns;
        return keys.Count == 0 ? null : string.Join(", ", keys);
    }

    /// <summary>A column definition of a PostgreSQL type written as SQL (e.g. <c>bigint</c>,
    /// <c>varchar(50)</c>), with an optional default written as SQL.</summary>
    public static ColumnDefinition Column(string table, string name, string type, bool nullable, string? defaultSql = null) => new()
    {
        Name = name,
        TableName = table,
        CustomType = type,
        IsNullable = nullable,
        DefaultValue = defaultSql is null ? new ColumnDefinition.UndefinedDefaultValue() : RawSql.Insert(defaultSql),
        ModificationType = ColumnModificationType.Create,
    };

    /// <summary>
    /// Makes a column NOT NULL without a long lock: a CHECK (col IS NOT NULL) new writes must meet
    /// (unless already added), commit, its validation (a scan that lets writes go on), commit, then
    /// what the dialect does with a proven check (<see cref="ISqlDialect.SetNotNullProven"/>), returned
    /// separately so callers can put more into that short transaction.
    /// </summary>
    public static (IReadOnlyList<PlannedStatement> Prove, IReadOnlyList<PlannedStatement> Set) NotNull(OperationContext context, string schema, string table, string column, bool checkAlreadyAdded = false)
    {
        var d = context.Dialect;
        string check = NotNullCheckName(context, column);
        var prove = new List<PlannedStatement>();
        if (!checkAlreadyAdded)
        {
            prove.Add(NotNullCheck(context, schema, table, column));
            prove.Add(Boundary);
        }

        prove.AddRange(ValidateCheck(context, schema, table, check));
        return (prove, d.SetNotNullProven(schema, table, column, check));
    }

    /// <summary>The unchecked CHECK (col IS NOT NULL) that new writes must meet.</summary>
    public static PlannedStatement NotNullCheck(OperationContext context, string schema, string table, string column) =>
        context.Dialect.AddCheck(schema, table, NotNullCheckName(context, column), $"{context.Dialect.Quote(column)} IS NOT NULL");

    /// <summary>
    /// The validation of a CHECK constraint, each in its own transaction followed by a commit. On a partitioned
    /// table (known from the baseline) every partition is validated on its own first, deepest first, so
    /// each scan holds its SHARE UPDATE EXCLUSIVE lock on one partition only; the parent's VALIDATE then
    /// finds them validated and scans nothing.
    /// </summary>
    public static IEnumerable<PlannedStatement> ValidateCheck(OperationContext context, string schema, string table, string constraint)
    {
        foreach (var partition in PostOrder(context.Schema.FindTable(schema, table)?.Partitions ?? []))
        {
            yield return context.Dialect.ValidateConstraint(partition.Schema, partition.Name, constraint);
            yield return Boundary;
        }

        yield return context.Dialect.ValidateConstraint(schema, table, constraint);
        yield return Boundary;
    }

    /// <summary>Partitions, each after its own sub-partitions.</summary>
    public static IEnumerable<PartitionNode> PostOrder(IEnumerable<PartitionNode> partitions) =>
        partitions.SelectMany(p => PostOrder(p.Children).Append(p));

    /// <summary>The fill trigger that sets <paramref name="column"/> from <paramref name="expression"/>
    /// (over the row as it is before the change) whenever a write leaves it NULL.</summary>
    public static TriggerStatements Fill(OperationContext context, string schema, string table, string column, string expression)
    {
        var model = context.Schema.GetTable(schema, table);
        return context.Dialect.ColumnFill(new ColumnFill(context.ChangeId, schema, table, column, expression,
            [.. model.Columns.Select(c => c.Name)], model.KeyColumns));
    }

    /// <summary>The precondition of a contract that makes <paramref name="physical"/> NOT NULL.</summary>
    public static ContractPrecondition NoNulls(OperationContext context, string schema, string table, string column, string? physical = null) => new(
        $"{schema}.{table}.{column} holds no NULL (the contract makes it NOT NULL)",
        context.Dialect.FirstRow($"{context.Dialect.Qualified(schema, table)} WHERE {context.Dialect.Quote(physical ?? column)} IS NULL"));

    /// <summary>The precondition of a contract that validates CHECK (<paramref name="condition"/>).</summary>
    public static ContractPrecondition Holds(OperationContext context, string schema, string table, string name, string condition) => new(
        $"every row of {schema}.{table} meets {name}: CHECK ({condition})",
        context.Dialect.FirstRow($"{context.Dialect.Qualified(schema, table)} WHERE {context.Dialect.Breaks(condition)}"));

    public static string NotNullCheckName(OperationContext context, string column) => context.Dialect.ShortenName($"migrator_nn_{context.ChangeId}_{column}");

    /// <summary>Name of the shadow column that holds a column's new shape during the window.</summary>
    public static string ShadowName(ISqlDialect dialect, string column) => dialect.ShortenName($"migrator_new_{column}");

    public static MigratorException BadInput(string message) => new(ExitCodes.BadInput, message);
}
