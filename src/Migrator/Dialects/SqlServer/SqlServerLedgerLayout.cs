namespace Migrator.Dialects.SqlServer;

/// <summary>
/// The ledger's tables on SQL Server: the same tables and columns as PostgreSQL's current layout
/// (Dialects/Postgres/LedgerLayout), in T-SQL types (nvarchar for text, datetimeoffset for
/// timestamptz, nvarchar(max) holding JSON for jsonb, bigint IDENTITY for bigserial). Each statement
/// creates its table only if it is missing, so the list is safe to run again.
/// </summary>
public static class SqlServerLedgerLayout
{
    public static IReadOnlyList<string> Create(SqlServerDialect dialect)
    {
        string schema = dialect.Quote(dialect.LedgerSchema);
        string Table(string name) => dialect.Qualified(dialect.LedgerSchema, name);
        string IfMissing(string name, string body) =>
            $"IF OBJECT_ID({dialect.Literal(Table(name))}, N'U') IS NULL CREATE TABLE {Table(name)} ({body});";

        return
        [
            $"IF SCHEMA_ID({dialect.Literal(dialect.LedgerSchema)}) IS NULL EXEC (N'CREATE SCHEMA {schema.Replace("'", "''", StringComparison.Ordinal)}');",
            IfMissing("layout", "version int NOT NULL"),
            IfMissing("changes", """
                change_id bigint NOT NULL PRIMARY KEY,
                description nvarchar(max) NOT NULL,
                app_version nvarchar(200) NOT NULL,
                contract_after nvarchar(200) NULL
                """),
            IfMissing("phases", $"""
                change_id bigint NOT NULL REFERENCES {Table("changes")} (change_id),
                phase nvarchar(20) NOT NULL CHECK (phase IN (N'expand', N'backfill', N'contract', N'rollback')),
                status nvarchar(20) NOT NULL CHECK (status IN (N'running', N'done', N'failed', N'stopped')),
                checksum nvarchar(100) NOT NULL,
                steps nvarchar(max) NOT NULL DEFAULT N'[]' CHECK (ISJSON(steps) = 1),
                steps_done int NOT NULL DEFAULT 0,
                started_at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET(),
                finished_at datetimeoffset NULL,
                error nvarchar(max) NULL,
                PRIMARY KEY (change_id, phase)
                """),
            IfMissing("deployments", """
                id bigint IDENTITY PRIMARY KEY,
                app_version nvarchar(200) NOT NULL,
                slot nvarchar(200) NULL,
                usage nvarchar(max) NULL CHECK (usage IS NULL OR ISJSON(usage) = 1),
                registered_at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET(),
                retired_at datetimeoffset NULL
                """),
            IfMissing("backfill_checkpoints", $"""
                change_id bigint NOT NULL REFERENCES {Table("changes")} (change_id),
                table_name nvarchar(400) NOT NULL,
                last_key nvarchar(max) NULL,
                rows_done bigint NOT NULL DEFAULT 0,
                passes int NOT NULL DEFAULT 0,
                started_at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET(),
                updated_at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET(),
                completed_at datetimeoffset NULL,
                PRIMARY KEY (change_id, table_name)
                """),
            IfMissing("history", """
                id bigint IDENTITY PRIMARY KEY,
                at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET(),
                actor nvarchar(200) NOT NULL DEFAULT ORIGINAL_LOGIN(),
                host nvarchar(200) NULL,
                command nvarchar(max) NOT NULL,
                change_id bigint NULL,
                outcome nvarchar(50) NOT NULL,
                detail nvarchar(max) NULL
                """),
            IfMissing("owned_objects", $"""
                change_id bigint NOT NULL REFERENCES {Table("changes")} (change_id),
                kind nvarchar(20) NOT NULL,
                object_id int NOT NULL,
                column_id int NULL,
                name nvarchar(400) NOT NULL
                """),
            IfMissing("holds", """
                name nvarchar(200) NOT NULL PRIMARY KEY,
                change_id bigint NULL,
                reason nvarchar(max) NULL,
                placed_at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET(),
                placed_by nvarchar(200) NOT NULL DEFAULT ORIGINAL_LOGIN()
                """),
        ];
    }
}
