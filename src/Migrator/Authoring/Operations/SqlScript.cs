using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Schema;
using static Migrator.Authoring.Operations.OperationSupport;

namespace Migrator.Authoring.Operations;

/// <summary>
/// SQL Migrator cannot express otherwise, with an explicit phase: Expand (must be additive: both app
/// versions keep working) or Contract. <paramref name="down"/> undoes an Expand script at rollback;
/// without it the change cannot be rolled back. Migrator cannot see what the SQL does to the schema:
/// declare the tables or columns it changes in <paramref name="touches"/> (<c>table</c> or
/// <c>table.column</c>) so conflicts with other changes are found, and use <c>plan --verify</c> to
/// check it against the live versions. Statements PostgreSQL refuses in a transaction (CREATE INDEX
/// CONCURRENTLY …) run alone, each a step of its own; BEGIN/COMMIT in the script are refused.
/// </summary>
public sealed class SqlScript(Phase phase, string sql, string? down = null, string schema = "public", IReadOnlyList<string>? touches = null) : IOperation
{
    public bool Supports(ISqlDialect dialect) => true;

    public string Describe() => $"raw SQL in {phase.ToString().ToLowerInvariant()}: {First(sql)}";

    public IReadOnlyList<SchemaTarget> Targets(OperationContext context) =>
        [.. (touches ?? []).Select(t => t.Split('.') is [var table, var column] ? new SchemaTarget(schema, table, column) : new SchemaTarget(schema, t))];

    public IReadOnlyList<PlannedStatement> Expand(OperationContext context) => phase switch
    {
        Phase.Expand => context.Dialect.ClassifyScript(sql),
        Phase.Contract => [],
        _ => throw BadInput($"raw SQL runs in expand or contract, not {phase}: use a change's Backfill for data"),
    };

    public BackfillSpec? Backfill(OperationContext context) => null;

    public IReadOnlyList<PlannedStatement> Contract(OperationContext context) =>
        phase == Phase.Contract ? context.Dialect.ClassifyScript(sql) : [];

    public IReadOnlyList<PlannedStatement> Rollback(OperationContext context)
    {
        if (phase != Phase.Expand)
        {
            return [];
        }

        return down is null
            ? throw new NotSupportedException($"raw SQL without a down script ({First(sql)})")
            : context.Dialect.ClassifyScript(down);
    }

    public void ApplyTo(SchemaModel model)
    {
    }

    private static string First(string text)
    {
        string line = text.Trim().Split('\n')[0].Trim();
        return line.Length > 60 ? line[..60] + "…" : line;
    }
}
