using FluentMigrator.Model;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;

namespace Migrator.Authoring.Operations;

/// <summary>
/// Renames a column with no moment where either app version breaks.
/// <list type="bullet">
/// <item>Expand: add the new column (same type, nullable, no default), and a sync trigger that keeps
/// both equal whichever version writes.</item>
/// <item>Backfill: copy the old column into the new one for rows written before the expand.</item>
/// <item>Contract: prove NOT NULL with a CHECK added NOT VALID and validated in its own transaction
/// (when the old column was NOT NULL); then in one short transaction set NOT NULL, move the default,
/// drop the trigger and the old column.</item>
/// <item>Rollback: drop the trigger and the new column.</item>
/// </list>
/// </summary>
public sealed class RenameColumn(string schema, string table, string from, string to) : ColumnRewriteOperation
{
    public string Schema { get; } = schema;

    public string Table { get; } = table;

    public string From { get; } = from;

    public string To { get; } = to;

    public override string Describe() => $"rename column {Schema}.{Table}.{From} to {To}";

    public override void ApplyTo(SchemaModel model) => model.RenameColumn(Schema, Table, From, To);

    internal override ColumnRewrite Rewrite(SchemaModel model, ISqlDialect? dialect)
    {
        var final = (ColumnDefinition)model.GetTable(Schema, Table).GetColumn(From).Definition.Clone();
        final.Name = To;
        return new ColumnRewrite(
            Schema,
            Table,
            [From],
            [new RewrittenColumn(final, dialect?.Quote(From) ?? From)],
            [new SyncAssignment(From, dialect?.Quote(To) ?? To)],
            To);
    }
}
