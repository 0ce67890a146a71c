namespace Migrator.Dialects.SqlServer;

/// <summary>
/// What `baseline` and the drift check read on SQL Server, through the sys.* catalog views (the same
/// facts the PostgreSQL SchemaReader reads from pg_catalog). Each is one statement returning rows;
/// the ledger schema is left out through the <c>@ledger</c> parameter. Parsed with ScriptDom in the
/// tests; not yet run against a server (docs/sqlserver.md).
/// </summary>
public static class SqlServerCatalogQueries
{
    public const string Tables = """
        SELECT s.name AS [schema], t.name AS [table], t.temporal_type_desc AS temporal, t.is_memory_optimized AS memory_optimized,
               CAST(CASE WHEN EXISTS (SELECT 1 FROM sys.partitions p WHERE p.object_id = t.object_id AND p.partition_number > 1) THEN 1 ELSE 0 END AS bit) AS partitioned
        FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE s.name <> @ledger AND t.is_ms_shipped = 0
        ORDER BY s.name, t.name;
        """;

    public const string Columns = """
        SELECT s.name AS [schema], t.name AS [table], c.column_id AS ordinal, c.name AS [column],
               TYPE_NAME(c.user_type_id) AS type_name, c.max_length, c.precision, c.scale,
               c.is_nullable, c.is_identity, c.is_computed, cc.definition AS computed, dc.definition AS [default], c.collation_name
        FROM sys.columns AS c
        JOIN sys.tables AS t ON t.object_id = c.object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        LEFT JOIN sys.computed_columns AS cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id
        LEFT JOIN sys.default_constraints AS dc ON dc.parent_object_id = c.object_id AND dc.parent_column_id = c.column_id
        WHERE s.name <> @ledger AND t.is_ms_shipped = 0
        ORDER BY s.name, t.name, c.column_id;
        """;

    /// <summary>Primary keys and unique constraints, each column in the key's own order.</summary>
    public const string Keys = """
        SELECT s.name AS [schema], t.name AS [table], k.name AS [constraint], k.type AS kind, ic.key_ordinal, c.name AS [column]
        FROM sys.key_constraints AS k
        JOIN sys.tables AS t ON t.object_id = k.parent_object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        JOIN sys.index_columns AS ic ON ic.object_id = k.parent_object_id AND ic.index_id = k.unique_index_id
        JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE s.name <> @ledger
        ORDER BY s.name, t.name, k.name, ic.key_ordinal;
        """;

    public const string Indexes = """
        SELECT s.name AS [schema], t.name AS [table], i.name AS [index], i.is_unique, i.type_desc, i.has_filter, i.filter_definition,
               i.is_disabled, ic.key_ordinal, ic.is_included_column, ic.is_descending_key, c.name AS [column]
        FROM sys.indexes AS i
        JOIN sys.tables AS t ON t.object_id = i.object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
        JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE s.name <> @ledger AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 AND i.type > 0
        ORDER BY s.name, t.name, i.name, ic.is_included_column, ic.key_ordinal;
        """;

    /// <summary>Foreign keys with their trust (WITH NOCHECK leaves one untrusted, like NOT VALID).</summary>
    public const string ForeignKeys = """
        SELECT s.name AS [schema], t.name AS [table], fk.name AS [constraint], fk.is_not_trusted, fk.is_disabled,
               rs.name AS ref_schema, rt.name AS ref_table, fkc.constraint_column_id AS ordinal, c.name AS [column], rc.name AS ref_column,
               fk.delete_referential_action_desc AS on_delete, fk.update_referential_action_desc AS on_update
        FROM sys.foreign_keys AS fk
        JOIN sys.tables AS t ON t.object_id = fk.parent_object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        JOIN sys.tables AS rt ON rt.object_id = fk.referenced_object_id
        JOIN sys.schemas AS rs ON rs.schema_id = rt.schema_id
        JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
        JOIN sys.columns AS c ON c.object_id = fkc.parent_object_id AND c.column_id = fkc.parent_column_id
        JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
        WHERE s.name <> @ledger
        ORDER BY s.name, t.name, fk.name, fkc.constraint_column_id;
        """;

    public const string Checks = """
        SELECT s.name AS [schema], t.name AS [table], cc.name AS [constraint], cc.definition, cc.is_not_trusted, cc.is_disabled,
               COL_NAME(cc.parent_object_id, cc.parent_column_id) AS [column]
        FROM sys.check_constraints AS cc
        JOIN sys.tables AS t ON t.object_id = cc.parent_object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE s.name <> @ledger
        ORDER BY s.name, t.name, cc.name;
        """;

    public const string Triggers = """
        SELECT s.name AS [schema], t.name AS [table], tr.name AS [trigger], tr.is_disabled, tr.is_instead_of_trigger, m.definition
        FROM sys.triggers AS tr
        JOIN sys.tables AS t ON t.object_id = tr.parent_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        JOIN sys.sql_modules AS m ON m.object_id = tr.object_id
        WHERE s.name <> @ledger AND tr.is_ms_shipped = 0
        ORDER BY s.name, t.name, tr.name;
        """;

    /// <summary>Views (with SCHEMABINDING, which blocks dropping a column they read) and what they read.</summary>
    public const string Views = """
        SELECT s.name AS [schema], v.name AS [view], m.definition, m.is_schema_bound,
               d.referenced_schema_name AS ref_schema, d.referenced_entity_name AS ref_table, d.referenced_minor_name AS ref_column
        FROM sys.views AS v
        JOIN sys.schemas AS s ON s.schema_id = v.schema_id
        JOIN sys.sql_modules AS m ON m.object_id = v.object_id
        OUTER APPLY sys.dm_sql_referenced_entities(QUOTENAME(s.name) + N'.' + QUOTENAME(v.name), N'OBJECT') AS d
        WHERE s.name <> @ledger AND v.is_ms_shipped = 0
        ORDER BY s.name, v.name;
        """;

    public static IReadOnlyList<(string Name, string Sql)> All { get; } =
    [
        (nameof(Tables), Tables),
        (nameof(Columns), Columns),
        (nameof(Keys), Keys),
        (nameof(Indexes), Indexes),
        (nameof(ForeignKeys), ForeignKeys),
        (nameof(Checks), Checks),
        (nameof(Triggers), Triggers),
        (nameof(Views), Views),
        ("Edition", SqlServerDialect.EditionQuery),
    ];
}
