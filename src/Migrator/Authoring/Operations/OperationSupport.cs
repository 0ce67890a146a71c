using FluentMigrator;
using FluentMigrator.Model;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
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
    /// Makes a column NOT NULL without a long lock: CHECK (col IS NOT NULL) NOT VALID, commit,
    /// VALIDATE (a scan under SHARE UPDATE EXCLUSIVE, writes go on), commit, then SET NOT NULL (no scan
    /// thanks to the validated check) and drop the check. The last statement is returned separately so
    /// callers can put more into its short transaction.
    /// </summary>
    public static (IReadOnlyList<PlannedStatement> Prove, PlannedStatement Set) NotNull(OperationContext context, string schema, string table, string column, bool checkAlreadyAdded = false)
    {
        string t = PgSql.Qualified(schema, table);
        string check = PgSql.Ident(NotNullCheckName(context.ChangeId, column));
        var prove = new List<PlannedStatement>();
        if (!checkAlreadyAdded)
        {
            prove.Add(new PlannedStatement($"ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({PgSql.Ident(column)} IS NOT NULL) NOT VALID;"));
            prove.Add(Boundary);
        }

        prove.AddRange(ValidateCheck(context, schema, table, NotNullCheckName(context.ChangeId, column)));
        return (prove, new PlannedStatement($"ALTER TABLE {t} ALTER COLUMN {PgSql.Ident(column)} SET NOT NULL, DROP CONSTRAINT {check};"));
    }

    /// <summary>
    /// VALIDATE of a CHECK constraint, each in its own transaction followed by a commit. On a partitioned
    /// table (known from the baseline) every partition is validated on its own first, deepest first, so
    /// each scan holds its SHARE UPDATE EXCLUSIVE lock on one partition only; the parent's VALIDATE then
    /// finds them validated and scans nothing.
    /// </summary>
    public static IEnumerable<PlannedStatement> ValidateCheck(OperationContext context, string schema, string table, string constraint)
    {
        foreach (var partition in PostOrder(context.Schema.FindTable(schema, table)?.Partitions ?? []))
        {
            yield return new PlannedStatement($"ALTER TABLE {PgSql.Qualified(partition.Schema, partition.Name)} VALIDATE CONSTRAINT {PgSql.Ident(constraint)};");
            yield return Boundary;
        }

        yield return new PlannedStatement($"ALTER TABLE {PgSql.Qualified(schema, table)} VALIDATE CONSTRAINT {PgSql.Ident(constraint)};");
        yield return Boundary;
    }

    /// <summary>Partitions, each after its own sub-partitions.</summary>
    public static IEnumerable<PartitionNode> PostOrder(IEnumerable<PartitionNode> partitions) =>
        partitions.SelectMany(p => PostOrder(p.Children).Append(p));

    /// <summary>The fill trigger that sets <paramref name="column"/> from <paramref name="expression"/>
    /// (over the row as it is before the change) whenever a write leaves it NULL.</summary>
    public static FillTrigger Fill(OperationContext context, string schema, string table, string column, string expression) =>
        new(context.Dialect.LedgerSchema, context.ChangeId, schema, table, column, expression,
            [.. context.Schema.GetTable(schema, table).Columns.Select(c => c.Name)]);

    /// <summary>The precondition of a contract that makes <paramref name="physical"/> NOT NULL.</summary>
    public static ContractPrecondition NoNulls(string schema, string table, string column, string? physical = null) => new(
        $"{schema}.{table}.{column} holds no NULL (the contract makes it NOT NULL)",
        $"SELECT 1 FROM {PgSql.Qualified(schema, table)} WHERE {PgSql.Ident(physical ?? column)} IS NULL LIMIT 1");

    /// <summary>The precondition of a contract that validates CHECK (<paramref name="condition"/>).</summary>
    public static ContractPrecondition Holds(string schema, string table, string name, string condition) => new(
        $"every row of {schema}.{table} meets {name}: CHECK ({condition})",
        $"SELECT 1 FROM {PgSql.Qualified(schema, table)} WHERE ({condition}) IS FALSE LIMIT 1");

    public static string NotNullCheckName(long changeId, string column) => PgNames.Fit($"migrator_nn_{changeId}_{column}");

    /// <summary>Name of the shadow column that holds a column's new shape during the window.</summary>
    public static string ShadowName(string column) => PgNames.Fit($"migrator_new_{column}");

    public static MigratorException BadInput(string message) => new(ExitCodes.BadInput, message);
}
