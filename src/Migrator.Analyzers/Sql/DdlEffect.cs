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
        AddDomainConstraint,
        Update,
        Insert,
        Delete,
        Other,
    }

    /// <summary>A column as CREATE TABLE / ADD COLUMN declares it.</summary>
    public sealed class ColumnDeclaration
    {
        public ColumnDeclaration(string name, string type, bool notNull, bool hasDefault)
        {
            Name = name;
            Type = type;
            NotNull = notNull;
            HasDefault = hasDefault;
        }

        public string Name { get; }

        public string Type { get; }

        public bool NotNull { get; }

        public bool HasDefault { get; }

        /// <summary>A default PostgreSQL must compute per row (random(), gen_random_uuid(), clock_timestamp(),
        /// nextval, a function PostgreSQL does not define, serial, identity, GENERATED … STORED): the table
        /// is rewritten under an exclusive lock.</summary>
        public bool VolatileDefault => Rewrites(PgFunctions.IsVolatile);

        /// <summary>The functions the default calls (lower case, unqualified), so a reader that knows the
        /// database's own functions (pg_proc.provolatile) can decide again.</summary>
        public List<string> DefaultCalls { get; } = new List<string>();

        /// <summary>serial, identity or GENERATED … STORED: every row gets a value computed when the column is added.</summary>
        public bool Generated { get; set; }

        /// <summary>An inline REFERENCES: a foreign key that cannot be NOT VALID.</summary>
        public bool References { get; set; }

        /// <summary>An inline UNIQUE (an index built under the ALTER's lock).</summary>
        public bool Unique { get; set; }

        /// <summary>An inline PRIMARY KEY.</summary>
        public bool PrimaryKey { get; set; }

        /// <summary>An inline CHECK (validated against every row).</summary>
        public bool Check { get; set; }

        /// <summary>True when adding this column rewrites the table, given what each called function's
        /// volatility is (<paramref name="volatile"/> answers null for a function it does not know, which
        /// then counts as volatile).</summary>
        public bool Rewrites(System.Func<string, bool?> @volatile)
        {
            if (Generated)
            {
                return true;
            }

            foreach (string call in DefaultCalls)
            {
                if (@volatile(call) ?? true)
                {
                    return true;
                }
            }

            return false;
        }
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

        /// <summary>IF EXISTS on a drop, IF NOT EXISTS on a create or ADD COLUMN: the statement can run twice.</summary>
        public bool IfExists { get; set; }

        public bool Cascade { get; set; }

        /// <summary>For CREATE VIEW … AS SELECT * FROM t: the table whose columns the view shows.</summary>
        public string? ViewOf { get; set; }

        /// <summary>For CREATE INDEX: the indexed table; <see cref="Table"/> is then the table too.</summary>
        public string? IndexName { get; set; }

        /// <summary>What an ALTER TYPE or ALTER DOMAIN does ("add value", "rename value", …).</summary>
        public string? Detail { get; set; }

        /// <summary>Where the statement starts in the text that was analysed (0-based character offset).</summary>
        public int Offset { get; set; }

        /// <summary>The statement's length in that text.</summary>
        public int Length { get; set; }

        /// <summary>For CREATE INDEX, and UNIQUE / PRIMARY KEY / FOREIGN KEY constraints: the columns, in order.</summary>
        public List<string> KeyColumns { get; } = new List<string>();

        public string QualifiedTable => Schema is null ? Table ?? "" : Schema + "." + Table;

        public override string ToString() => $"{Kind} {QualifiedTable}{(Column is null ? "" : "." + Column)}";
    }
}
