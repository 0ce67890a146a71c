using Migrator.Authoring;
using Migrator.Backfill;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using Migrator.Tests.Infrastructure;
using Npgsql;

namespace Migrator.Tests.Operations;

/// <summary>
/// Runs one scenario's change through the engine on its own fresh database: the same compiler,
/// executor, ledger and backfill runner the CLI uses (the CLI itself is exercised by the shop
/// tests), with the base schema expanded and seeded first.
/// </summary>
public sealed class OperationHarness : IAsyncDisposable
{
    private readonly List<string> _log = [];

    private OperationHarness(string connectionString, ChangePlan base_, ChangePlan change)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Base = base_;
        Change = change;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public ChangePlan Base { get; }

    public ChangePlan Change { get; }

    public ExecutionOptions Execution { get; set; } = new(TimeSpan.FromMilliseconds(200), 50);

    /// <summary>Lines the executor logged (retries show up here).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    public static async Task<OperationHarness> StartAsync(OperationScenario scenario)
    {
        var plans = new PhaseCompiler(new PostgresDialect()).Compile(
            ChangeCatalog.FromTypes([typeof(ScenarioBase), scenario.Change], scenario.Name), new SchemaModel());
        string name = "op_" + new string([.. scenario.Change.Name.ToLowerInvariant().Where(char.IsLetterOrDigit)]);
        var harness = new OperationHarness(TestServer.Cluster.CreateDatabase(name), plans[0], plans[1]);
        await using (var connection = await harness.DataSource.OpenConnectionAsync())
        {
            var ledger = new LedgerStore(connection, "migrator");
            await ledger.EnsureAsync();
            await ledger.RecordChangesAsync(plans);
        }

        await harness.RunAsync(plans[0], Phase.Expand);
        await harness.ExecuteAsync(ScenarioBase.SeedSql);
        if (scenario.Seed is not null)
        {
            await harness.ExecuteAsync(scenario.Seed);
        }

        return harness;
    }

    public Task ExpandAsync() => RunAsync(Change, Phase.Expand);

    public Task ContractAsync() => RunAsync(Change, Phase.Contract);

    public Task RollbackAsync() => RunAsync(Change, Phase.Rollback);

    /// <summary>Runs every backfill of the change; with <paramref name="stopAfterBatches"/>, stops
    /// (as a crash would) after that many batches of the first one.</summary>
    public async Task<long> BackfillAsync(int batchSize = 500, int? stopAfterBatches = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var runner = new BackfillRunner(connection, new CheckpointStore("migrator"), new BackfillOptions(batchSize, Execution.LockTimeout));
        long rows = 0;
        foreach (var spec in Change.Backfills)
        {
            using var stop = new CancellationTokenSource();
            var progress = new StopAfter(stopAfterBatches, stop);
            try
            {
                rows += (await runner.RunAsync(Change.Id, spec, progress, stop.Token)).RowsUpdated;
            }
            catch (OperationCanceledException) when (stopAfterBatches is not null)
            {
                return progress.Rows;
            }

            if (!await BackfillRunner.IsCompleteAsync(connection, spec))
            {
                throw new InvalidOperationException($"backfill of {spec.Table} not complete after the run");
            }
        }

        return rows;
    }

    public async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await SchemaSnapshot.ReadAsync(connection);
    }

    public async Task<long> ProblemsAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT sum(n)::bigint FROM ({sql}) AS problems(n)", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task RunAsync(ChangePlan plan, Phase phase)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var executor = new PhaseExecutor(new LedgerStore(connection, "migrator"), Execution, line =>
        {
            lock (_log)
            {
                _log.Add(line);
            }
        });
        await executor.RunAsync(plan, phase);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        TestServer.Cluster.DropDatabase(ConnectionString);
    }

    private sealed class StopAfter(int? batches, CancellationTokenSource stop) : IProgress<BackfillProgress>
    {
        public long Rows { get; private set; }

        public void Report(BackfillProgress value)
        {
            Rows = value.RowsDone;
            if (batches is { } limit && value.Batches >= limit)
            {
                stop.Cancel();
            }
        }
    }
}
