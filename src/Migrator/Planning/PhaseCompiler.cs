using FluentMigrator.Expressions;
using FluentMigrator.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Migrator.Authoring;
using Migrator.Authoring.Operations;
using Migrator.Backfill;
using Migrator.Compatibility;
using Migrator.Dialects.Postgres;

namespace Migrator.Planning;

/// <summary>
/// Turns changes into their phases' SQL with no database: each change's FluentMigrator expressions
/// go through FluentMigrator's generator, each operation generates its own steps, and the changes are
/// replayed in id order on a <see cref="SchemaModel"/> so that a later change sees the earlier ones.
/// </summary>
public sealed class PhaseCompiler(PostgresDialect dialect)
{
    private readonly IServiceProvider _services = new ServiceCollection().BuildServiceProvider();

    public PostgresDialect Dialect { get; } = dialect;

    /// <summary>Compiles every change; <paramref name="model"/> ends as the schema after all of them.</summary>
    public IReadOnlyList<ChangePlan> Compile(IReadOnlyList<ChangeInfo> changes, SchemaModel model)
    {
        var plans = new List<ChangePlan>(changes.Count);
        foreach (var change in changes)
        {
            try
            {
                plans.Add(Compile(change, model));
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
        var expandExpressions = Collect(change.Instance, Phase.Expand);
        var contractExpressions = Collect(change.Instance, Phase.Contract);

        var expand = new List<PlannedStatement>();
        var contract = new List<PlannedStatement>();
        var backfills = new List<BackfillSpec>();
        foreach (var operation in operations)
        {
            expand.AddRange(operation.Expand(context));
            contract.AddRange(operation.Contract(context));
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
        return new ChangePlan(
            change,
            [.. operations.Select(o => o.Describe())],
            PhaseStep.Group(expand),
            backfills,
            PhaseStep.Group(contract));
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
