using Migrator.Analyzers;
using Migrator.Analyzers.Sql;
using Migrator.Authoring;

namespace Migrator.Compatibility.HazardRules;

/// <summary>A foreign key whose referencing columns no index leads with, on a table whose every index is
/// known (created in the linted files): each update or delete of a referenced row scans the table.</summary>
public sealed class ForeignKeyWithoutIndexRule : HazardRule
{
    public override string Id => RuleIds.ForeignKeyWithoutIndex;

    public override IEnumerable<Finding> Check(PhaseSql phase) =>
        Each(phase, e =>
        {
            if (e.Kind != DdlKind.AddConstraint || e.ConstraintKind != "foreign key" || e.KeyColumns.Count == 0)
            {
                return null;
            }

            var history = phase.Earlier.Concat(phase.Effects).Where(x => x.Table == e.Table && x.Schema == e.Schema).ToList();
            var created = history.LastOrDefault(x => x.Kind == DdlKind.CreateTable);
            if (created is null)
            {
                return null;
            }

            var leading = history.Where(x => x.Kind == DdlKind.CreateIndex || (x.Kind == DdlKind.AddConstraint && x.ConstraintKind is "unique" or "primary key"))
                .Select(x => x.KeyColumns.ToList())
                .Concat(created.Columns.Where(c => c.PrimaryKey || c.Unique).Select(c => new List<string> { c.Name }));
            bool indexed = leading.Any(cols => cols.Count >= e.KeyColumns.Count && cols.Take(e.KeyColumns.Count).SequenceEqual(e.KeyColumns));
            return indexed ? null
                : (Severity.Info, $"adds a foreign key on {e.QualifiedTable} ({string.Join(", ", e.KeyColumns)}) with no index leading with those columns: every update or delete of a referenced row scans {e.Table} (CREATE INDEX CONCURRENTLY on them)");
        });
}
