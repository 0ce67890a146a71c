using System.Collections.Generic;

namespace Migrator.Analyzers.Sql
{
    public enum DdlKind
    {
        AddColumn,
        DropColumn,
        RenameColumn,
        AlterColumnType,
        SetNotNull,
        DropNotNull,
        SetDefault,
        DropDefault,
        AddConstraint,
        ValidateConstraint,
        DropConstraint,
        CreateTable,
        DropTable,
        RenameTable,
        CreateIndex,
        DropIndex,
        CreateView,
        DropView,
        Truncate,
        DropSchema,
        RenameSchema,
        Reindex,
        VacuumFull,
        Cluster,
        DetachPartition,
        SetLockTimeout,
        AlterEnum,
        Update,
        Insert,
        Delete,
        Other,
    }

    /// <summary>A column as CREATE TABLE / ADD COLUMN declares it.</summary>
    public sealed class ColumnDeclaration
    {
        public ColumnDeclaration(string name, string type, bool notNull, bool hasDefault, bool volatileDefault)
        {
            Name = name;
            Type = type;
            NotNull = notNull;
            HasDefault = hasDefault;
            VolatileDefault = volatileDefault;
        }

        public string Name { get; }

        public string Type { get; }

        public bool NotNull { get; }

        public bool HasDefault { get; }

        /// <summary>A default PostgreSQL must compute per row (random(), gen_random_uuid(), clock_timestamp(),
        /// nextval, serial, GENERATED … STORED): the table is rewritten under an exclusive lock.</summary>
        public bool VolatileDefault { get; }
    }

    /// <summary>What one DDL (or DML) statement does to the schema, as far as compatibility and locking go.</summary>
    public sealed class DdlEffect
    {
        public DdlEffect(DdlKind kind, string sql)
        {
            Kind = kind;
            Sql = sql;
        }

        public DdlKind Kind { get; }

        /// <summary>The statement's text.</summary>
        public string Sql { get; }

        public string? Schema { get; set; }

        /// <summary>The table (or view, index, schema) the statement acts on.</summary>
        public string? Table { get; set; }

        public string? Column { get; set; }

        /// <summary>New name for renames; the new type for ALTER COLUMN TYPE.</summary>
        public string? NewName { get; set; }

        public string? Type { get; set; }

        public ColumnDeclaration? Declaration { get; set; }

        public List<ColumnDeclaration> Columns { get; } = new List<ColumnDeclaration>();

        /// <summary>check, foreign key, unique, primary key or exclude.</summary>
        public string? ConstraintKind { get; set; }

        public bool NotValid { get; set; }

        /// <summary>UNIQUE / PRIMARY KEY added from an existing index (USING INDEX): no build, no scan.</summary>
        public bool UsingIndex { get; set; }

        public bool Concurrently { get; set; }

        /// <summary>CREATE INDEX … ON ONLY a partitioned table: the parent's index alone, built instantly
        /// (INVALID until each partition's index is attached).</summary>
        public bool OnlyParent { get; set; }

        public bool Unique { get; set; }

        public bool IfExists { get; set; }

        public bool Cascade { get; set; }

        /// <summary>For CREATE VIEW … AS SELECT * FROM t: the table whose columns the view shows.</summary>
        public string? ViewOf { get; set; }

        /// <summary>For CREATE INDEX: the indexed table; <see cref="Table"/> is then the table too.</summary>
        public string? IndexName { get; set; }

        public string QualifiedTable => Schema is null ? Table ?? "" : Schema + "." + Table;

        public override string ToString() => $"{Kind} {QualifiedTable}{(Column is null ? "" : "." + Column)}";
    }
}
