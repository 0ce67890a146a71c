using System.Text.RegularExpressions;
using FluentMigrator.Expressions;
using FluentMigrator.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Migrator.Authoring;
using Migrator.Authoring.Operations;
using Migrator.Backfill;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Schema;

namespace Migrator.Planning;

/// <summary>
/// Turns changes into their phases' SQL with no database: each change's FluentMigrator expressions
/// go through FluentMigrator's generator, each operation generates its own steps, and the changes are
/// replayed in id order on a <see cref="SchemaModel"/> so that a later change sees the earlier ones.
/// </summary>
public sealed partial class PhaseCompiler(ISqlDialect dialect)
{
    private readonly IServiceProvider _services = new ServiceCollection().BuildServiceProvider();

    public ISqlDialect Dialect { get; } = dialect;

    /// <summary>Compiles every change; <paramref name="model"/> ends as the schema after all of them.</summary>
    public IReadOnlyList<ChangePlan> Compile(IReadOnlyList<ChangeInfo> changes, SchemaModel model)
    {
        var plans = new List<ChangePlan>(changes.Count);
        foreach (var change in changes)
        {
            try
            {
                plans.Add(Sequence(Compile(change, model), plans));
            }
            catch (MigratorException e)
            {
                throw new MigratorException(e.ExitCode, $"change {change.Id} ({change.Name}): {e.Message}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new MigratorException(ExitCodes.BadInput, $"change {change.Id} ({change.Name}): {e.Message}");
            }
        }

        return plans;
    }

    private ChangePlan Compile(ChangeInfo change, SchemaModel model)
    {
        var context = new OperationContext(change.Id, model, Dialect);
        var operations = change.Instance.Operations;
        if (operations.FirstOrDefault(o => !o.Supports(Dialect)) is { } unsupported)
        {
            // Most high-level operations still write PostgreSQL; on another engine only those that
            // write through the dialect are compiled (docs/sqlserver.md).
            throw new MigratorException(ExitCodes.BadInput,
                $"{unsupported.Describe()}: this operation has no {Dialect.Provider} form yet; write this change with FluentMigrator's expressions (docs/sqlserver.md)");
        }

        var expandExpressions = Collect(change.Instance, Phase.Expand);
        var contractExpressions = Collect(change.Instance, Phase.Contract);

        var expand = new List<PlannedStatement>();
        var contract = new List<PlannedStatement>();
        var backfills = new List<BackfillSpec>();
        var targets = new List<SchemaTarget>();
        var preconditions = new List<ContractPrecondition>();
        var (rollback, rollbackUnavailable) = Rollback(change.Instance, context, expandExpressions);
        foreach (var operation in operations)
        {
            targets.AddRange(operation.Targets(context));
            expand.AddRange(operation.Expand(context));
            if (operation is IAddsColumns adds)
            {
                context.AddedColumns.UnionWith(adds.AddedColumns);
            }

            contract.AddRange(operation.Contract(context));
            if (operation is IHasContractPreconditions checks)
            {
                preconditions.AddRange(checks.Preconditions(context));
            }

            if (operation.Backfill(context) is { } spec)
            {
                backfills.Add(spec);
            }
        }

        if (change.Instance.Backfill is { } own)
        {
            backfills.Add(own);
        }

        // Replay on the model (it keeps its own copies: generators may mutate what they are given),
        // so the next change sees the schema after this one.
        foreach (var expression in expandExpressions)
        {
            model.Apply(expression);
        }

        expand.AddRange(expandExpressions.SelectMany(Dialect.Generate));
        foreach (var operation in operations)
        {
            operation.ApplyTo(model);
        }

        foreach (var expression in contractExpressions)
        {
            model.Apply(expression);
        }

        contract.AddRange(contractExpressions.SelectMany(Dialect.Generate));
        targets.AddRange(expandExpressions.Concat(contractExpressions).SelectMany(ExpressionTargets.Of));
        return new ChangePlan(
            change,
            [.. operations.Select(o => o.Describe())],
            PhaseStep.Group(expand),
            backfills,
            PhaseStep.Group(contract))
        {
            Rollback = PhaseStep.Group(rollback),
            RollbackUnavailable = rollbackUnavailable,
            Targets = [.. targets.Distinct()],
            Preconditions = preconditions,
        };
    }

    /// <summary>
    /// Rollback undoes the expand in reverse: the plain expressions through FluentMigrator's own
    /// Reverse() (newest first), then each operation's rollback (last operation first).
    /// </summary>
    private (List<PlannedStatement> Statements, string? Unavailable) Rollback(Change change, OperationContext context, IReadOnlyList<IMigrationExpression> expandExpressions)
    {
        var statements = new List<PlannedStatement>();
        try
        {
            foreach (var expression in expandExpressions.Reverse())
            {
                foreach (var reversed in SplitColumns(Reverse(expression)))
                {
                    var guard = RollbackGuards.Of(reversed);
                    statements.AddRange(Dialect.Generate(reversed).Select(Tolerant).Select(s => guard is null ? s : s.Guarded(guard)));
                }
            }

            foreach (var operation in change.Operations.Reverse())
            {
                statements.AddRange(operation.Rollback(context));
            }
        }
        catch (NotSupportedException e)
        {
            return ([], e.Message);
        }

        return (statements, null);
    }

    /// <summary>A rollback must work on a partly applied expand, and must not block: FluentMigrator's
    /// reversed DROPs get IF EXISTS, and a dropped index goes CONCURRENTLY, alone (on PostgreSQL; SQL
    /// Server has no concurrent drop, and its DROP INDEX IF EXISTS … ON keeps the table name).</summary>
    private PlannedStatement Tolerant(PlannedStatement statement)
    {
        bool postgres = Dialect.Provider == "postgres";
        string sql = DropIndex().Replace(statement.Sql, postgres ? "DROP INDEX CONCURRENTLY IF EXISTS " : "DROP INDEX IF EXISTS ");
        if (sql != statement.Sql && postgres)
        {
            return PlannedStatement.Alone(sql);
        }

        sql = DropTable().Replace(sql, "DROP TABLE IF EXISTS ");
        sql = DropConstraint().Replace(sql, "DROP CONSTRAINT IF EXISTS ");
        sql = DropColumn().Replace(sql, "DROP COLUMN IF EXISTS ");
        return statement with { Sql = sql };
    }

    [GeneratedRegex(@"^\s*DROP INDEX (?!CONCURRENTLY|IF EXISTS)", RegexOptions.IgnoreCase)]
    private static partial Regex DropIndex();

    [GeneratedRegex(@"^\s*DROP TABLE (?!IF EXISTS)", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex(@"\bDROP CONSTRAINT (?!IF EXISTS)", RegexOptions.IgnoreCase)]
    private static partial Regex DropConstraint();

    [GeneratedRegex(@"\bDROP COLUMN (?!IF EXISTS)", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    /// <summary>One DROP COLUMN per statement, so each carries the guard of its own column.</summary>
    private static IEnumerable<IMigrationExpression> SplitColumns(IMigrationExpression expression) =>
        expression is DeleteColumnExpression { ColumnNames.Count: > 1 } many
            ? many.ColumnNames.Select(c => new DeleteColumnExpression { SchemaName = many.SchemaName, TableName = many.TableName, ColumnNames = [c] })
            : [expression];

    private static IMigrationExpression Reverse(IMigrationExpression expression)
    {
        try
        {
            return expression.Reverse();
        }
        catch (NotSupportedException)
        {
            throw new NotSupportedException($"{expression.GetType().Name.Replace("Expression", "", StringComparison.Ordinal)} in Expand() has no automatic reverse");
        }
    }

    /// <summary>
    /// Conflict detection: a change that alters a table or column an earlier change also alters must
    /// wait until that change is settled. When both are needed by the same app version and the earlier
    /// one has a contract, they could never both be in flight safely (the contract waits for the
    /// version, the version waits for both expands): refused here, at plan time.
    /// </summary>
    private static ChangePlan Sequence(ChangePlan plan, IReadOnlyList<ChangePlan> earlier)
    {
        var waits = new List<(long, string)>();
        foreach (var other in earlier)
        {
            var shared = plan.Targets.FirstOrDefault(t => other.Targets.Any(t.Overlaps));
            if (shared is null)
            {
                continue;
            }

            if (other.Contract.Count > 0 && other.Change.AppVersion.ComparePrecedenceTo(plan.Change.AppVersion) == 0)
            {
                throw new MigratorException(ExitCodes.BadInput,
                    $"conflicts with change {other.Id}: both alter {shared} for app {plan.Change.AppVersion}, and change {other.Id} must be contracted before this one can expand; give this change a later AppVersion or merge the two");
            }

            waits.Add((other.Id, shared.ToString()));
        }

        return plan with { WaitsFor = waits };
    }

    private List<IMigrationExpression> Collect(Change change, Phase phase)
    {
        var context = new MigrationContext(null, _services, null);
        change.BeginCollecting(phase);
        try
        {
            change.GetUpExpressions(context);
        }
        finally
        {
            change.EndCollecting();
        }

        return [.. context.Expressions];
    }
}
