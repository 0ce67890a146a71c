using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A new table whose primary key is int or smallint (serial included): it runs out at 2^31, and
/// changing it to bigint later rewrites the table and every referencing one.</summary>
public sealed class IntKeyRule : HazardRule
{
    private static readonly HashSet<string> Small = new(StringComparer.OrdinalIgnoreCase)
    {
        "int", "integer", "int4", "int2", "smallint", "serial", "serial4", "smallserial", "serial2",
    };

    public override string Id => RuleIds.IntKey;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        from e in phase.Effects
        where e.Kind == DdlKind.CreateTable
        from column in e.Columns
        where column.PrimaryKey && Small.Contains(column.Type.Trim())
        select Hit(phase, e, Severity.Info, $"gives {e.QualifiedTable} a primary key {column.Name} of type {column.Type}: it runs out at 2^31 (2^15 for smallint), and moving to bigint later rewrites the table (use bigint)");
}
