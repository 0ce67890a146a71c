using System.CommandLine;
using Migrator.Authoring;
using Migrator.Compatibility;
using Migrator.Dialects;
using Migrator.Dialects.Postgres;
using Migrator.Execution;
using Migrator.Ledger;
using Migrator.Planning;
using Migrator.Schema;
using System.Data.Common;
using Spectre.Console;

namespace Migrator.Cli;

/// <summary>
/// What a command works with: the config, the compiled changes, and (for commands that need one) a
/// connection holding the ledger lock, with the ledger created or upgraded.
/// </summary>
public sealed class CliSession : IAsyncDisposable
{
    private DbDataSource? _dataSource;

    private CliSession(CliContext cli, ParseResult parse, MigratorConfig config, IReadOnlyList<ChangePlan> plans)
    {
        Cli = cli;
        Parse = parse;
        Config = config;
        Plans = plans;
    }

    public CliContext Cli { get; }

    public ParseResult Parse { get; }

    public MigratorConfig Config { get; }

    public IReadOnlyList<ChangePlan> Plans { get; }

    public IAnsiConsole Out => Cli.Out;

    /// <summary>The adopted database's baseline from the migrations project, if there is one.</summary>
    public DatabaseSchema? Baseline { get; private init; }

    /// <summary>The engine the changes were compiled for (migrator.json <c>provider</c>).</summary>
    public ISqlDialect Dialect { get; private init; } = new PostgresDialect();

    public LedgerStore? Ledger { get; private set; }

    public LedgerStore RequireLedger => Ledger ?? throw new InvalidOperationException("no connection");

    public bool Verbose => Parse.GetValue(CommonOptions.Verbose);

    public ExecutionOptions Execution => new(
        TimeSpan.FromMilliseconds(Parse.GetValue(CommonOptions.LockTimeout) ?? Config.LockTimeoutMs),
        Config.LockRetries)
    {
        StatementTimeoutMs = Parse.GetValue(CommonOptions.StatementTimeout) ?? Config.StatementTimeoutMs,
    };

    /// <summary>Loads config and changes; nothing touches a database yet.</summary>
    /// <param name="allowNoChanges">For `baseline`: a migrations project with no change yet is fine, and
    /// with no baseline file yet the changes are not compiled (<see cref="Plans"/> is empty).</param>
    public static CliSession Load(CliContext cli, ParseResult parse, bool allowNoChanges = false)
    {
        var config = MigratorConfig.Load(parse.GetValue(CommonOptions.Config));
        config.ApplyFlags(
            parse.GetValue(CommonOptions.Baseline),
            parse.GetValue(CommonOptions.LedgerSchema),
            parse.GetValue(CommonOptions.LockRetries),
            parse.GetValue(CommonOptions.RetireWait),
            parse.GetValue(CommonOptions.RuleDocsUrl),
            parse.GetValue(CommonOptions.Provider),
            parse.GetValue(CommonOptions.EfAppVersion));
        if (parse.GetValue(CommonOptions.LockTimeout) is <= 0)
        {
            throw new MigratorException(ExitCodes.BadInput, "--lock-timeout must be a positive number of milliseconds");
        }

        if (parse.GetValue(CommonOptions.LockWait) is < 0)
        {
            throw new MigratorException(ExitCodes.BadInput, "--lock-wait must not be negative");
        }

        string? migrations = parse.GetValue(CommonOptions.Migrations) is { } flag
            ? string.IsNullOrWhiteSpace(flag) ? throw new MigratorException(ExitCodes.BadInput, "no migrations given: --migrations is empty") : Path.GetFullPath(flag)
            : config.Migrations is { } fromConfig ? config.Resolve(fromConfig) : null;
        if (migrations is null)
        {
            throw new MigratorException(ExitCodes.BadInput, "no migrations given: set \"migrations\" in migrator.json or pass --migrations");
        }

        var baseline = File.Exists(config.BaselinePath) ? BaselineFile.Read(config.BaselinePath) : null;
        if (baseline is null && config.Baseline is not null)
        {
            throw new MigratorException(ExitCodes.BadInput, $"baseline file not found: {config.BaselinePath} (migrator.json names it; run `dotnet migrator baseline` to write it)");
        }

        if (allowNoChanges && baseline is null)
        {
            // `baseline` on a database not adopted yet: the changes are written against the schema it
            // is about to read, so they cannot be compiled before; none of them may have run.
            return new CliSession(cli, parse, config, []);
        }

        // The connection opens while the changes load and compile: both take a few hundred ms of a
        // cold process (JIT), and a pipeline waits for the sum. Its failure surfaces at ConnectAsync.
        var early = new CliSession(cli, parse, config, []);
        early.StartOpening();
        IReadOnlyList<ChangeInfo> changes;
        try
        {
            changes = ChangeCatalog.FromAssembly(MigrationsLoader.Load(migrations, noBuild: parse.GetValue(CommonOptions.NoBuild)), allowNone: allowNoChanges || baseline is not null, efCoreThrough: baseline?.EfCoreMigrationsThrough, efCoreVersions: config.EfCoreAppVersions, provider: config.Provider);
        }
        catch
        {
            early.AbandonOpening();
            throw;
        }

        if (baseline?.IncludesChangesThrough is { } through)
        {
            changes = [.. changes.Where(c => c.Id > through)];
        }

        IReadOnlyList<ChangePlan> plans;
        ISqlDialect dialect = config.Provider == "sqlserver" ? new Dialects.SqlServer.SqlServerDialect(config.LedgerSchema) : new PostgresDialect(config.LedgerSchema);
        try
        {
            var model = baseline is null ? new SchemaModel(dialect.DefaultSchema) : SchemaModel.FromBaseline(baseline);
            plans = new PhaseCompiler(dialect).Compile(changes, model);
        }
        catch
        {
            early.AbandonOpening();
            throw;
        }

        return new CliSession(cli, parse, config, plans) { Baseline = baseline, Dialect = dialect, _dataSource = early._dataSource, _opening = early._opening };
    }

    private Task<DbConnection>? _opening;

    /// <summary>Starts opening the connection, when there is a connection string, without waiting.</summary>
    private void StartOpening()
    {
        if (ConnectionString is not { } connectionString || Config.Provider != "postgres")
        {
            return;
        }

        try
        {
            _dataSource = PostgresConnector.CreateDataSource(connectionString);
        }
        catch (MigratorException)
        {
            return; // reported by ConnectAsync, in its turn
        }

        var source = _dataSource;
        _opening = Task.Run(() => PostgresConnector.OpenAsync(source, CancellationToken.None));
    }

    /// <summary>Closes a connection opened early for a session that will not be used.</summary>
    private void AbandonOpening()
    {
        var (opening, source) = (_opening, _dataSource);
        _opening = null;
        _dataSource = null;
        _ = Task.Run(async () =>
        {
            try
            {
                if (opening is not null)
                {
                    await (await opening).DisposeAsync();
                }
            }
            catch (Exception)
            {
                // It failed to open: nothing to close.
            }

            if (source is not null)
            {
                await source.DisposeAsync();
            }
        });
    }

    /// <summary>The connection opened early, or a new one.</summary>
    private async Task<DbConnection> OpenFirstAsync(string connectionString, CancellationToken cancellation)
    {
        if (Config.Provider != "postgres")
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"provider {Config.Provider}: only `plan` without a connection works so far (docs/sqlserver.md); drop --connection and MIGRATOR_CONNECTION to plan offline");
        }

        if (_opening is { } opening)
        {
            _opening = null;
            return await opening.WaitAsync(cancellation);
        }

        _dataSource = PostgresConnector.CreateDataSource(connectionString);
        return await PostgresConnector.OpenAsync(_dataSource, cancellation);
    }

    /// <summary>The connection string from --connection, MIGRATOR_CONNECTION or the config, if any.</summary>
    public string? ConnectionString => ConnectionStringOf(Parse, Config);

    /// <summary>--connection, else MIGRATOR_CONNECTION, else the config's connection; null when none is given.</summary>
    public static string? ConnectionStringOf(ParseResult parse, MigratorConfig config)
    {
        string? env = Environment.GetEnvironmentVariable("MIGRATOR_CONNECTION");
        return parse.GetValue(CommonOptions.Connection) ?? (string.IsNullOrEmpty(env) ? config.Connection : env);
    }

    /// <summary>Connects, takes the ledger lock (waiting up to --lock-wait) and ensures the ledger.</summary>
    public async Task ConnectAsync(CancellationToken cancellation, bool sharedLock = false)
    {
        string connectionString = ConnectionString
            ?? throw new MigratorException(ExitCodes.BadInput, "no database given: pass --connection or set MIGRATOR_CONNECTION");
        var connection = await OpenFirstAsync(connectionString, cancellation);
        var wait = TimeSpan.FromSeconds(Parse.GetValue(CommonOptions.LockWait) ?? Config.LockWaitSeconds);
        await LedgerLock.AcquireAsync(connection, Config.LedgerSchema, wait, cancellation, sharedLock);
        Ledger = new LedgerStore(connection, Config.LedgerSchema);
        await Ledger.EnsureAsync();
        await Ledger.RecordChangesAsync(Plans);
        await Ledger.ForgetRolledBackAsync();
    }

    /// <summary>
    /// Connects for a command that only reads (plan, status, gate, deploy list): no ledger lock, so it
    /// answers while a backfill or another migrator holds it; the ledger is neither created nor
    /// upgraded, no history is written, and a database without a ledger reads as one where nothing has
    /// run. A role with only SELECT on the ledger and USAGE on its schema is enough.
    /// </summary>
    public async Task ConnectReadOnlyAsync(CancellationToken cancellation)
    {
        string connectionString = ConnectionString
            ?? throw new MigratorException(ExitCodes.BadInput, "no database given: pass --connection or set MIGRATOR_CONNECTION");
        var connection = await OpenFirstAsync(connectionString, cancellation);
        Ledger = new LedgerStore(connection, Config.LedgerSchema);
        ReadOnly = true;
        await Ledger.ProbeAsync();
    }

    /// <summary>True for a session opened with <see cref="ConnectReadOnlyAsync"/>: it writes nothing.</summary>
    public bool ReadOnly { get; private set; }

    /// <summary>Another connection to the same database (for backfill workers).</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellation) =>
        PostgresConnector.OpenAsync(_dataSource ?? throw new InvalidOperationException("no connection"), cancellation);

    public ChangePlan FindChange(long id) => Plans.FirstOrDefault(p => p.Id == id)
        ?? throw new MigratorException(ExitCodes.BadInput, $"unknown change id {id}; known: {string.Join(", ", Plans.Select(p => p.Id))}");

    /// <summary>The changes a command applies to: one with --change, else all.</summary>
    public IReadOnlyList<ChangePlan> Selected(long? id) => id is { } one ? [FindChange(one)] : Plans;

    public async Task<Func<ChangePlan, ChangeState>> StatesAsync()
    {
        var phases = await RequireLedger.PhasesAsync();
        return plan => ChangeStates.Of(plan, phases);
    }

    public void Log(string line)
    {
        if (Verbose)
        {
            Cli.Line(line);
        }
    }

    /// <summary>Runs one DDL phase of a change and records the outcome in the history; returns the
    /// objects a rollback kept because the ledger does not prove the change created them.</summary>
    public async Task<IReadOnlyList<string>> RunPhaseAsync(ChangePlan plan, Phase phase, string? detail, CancellationToken cancellation, bool replan = false)
    {
        string command = LedgerStore.Name(phase);
        Cli.Line($"{command} {plan.Id}: {plan.Change.Description}");
        var executor = new PhaseExecutor(RequireLedger, Execution, Log) { Replan = replan };
        var driftBefore = await DriftAsync(cancellation);
        bool ran = false;
        try
        {
            await executor.RunAsync(plan, phase, cancellation);
            ran = true;
        }
        catch (MigratorException e)
        {
            await HistoryAsync(command, plan.Id, "failed", e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            string where = $"stopped by a signal; the step under way was rolled back: run `dotnet migrator {command} --change {plan.Id}` again to resume";
            await RequireLedger.StopPhaseAsync(plan.Id, phase, where);
            await HistoryAsync(command, plan.Id, "stopped", where);
            throw;
        }
        finally
        {
            // What the phase committed is Migrator's doing, done or not: it is the schema drift is measured
            // against from now on; drift that was there before the phase stays drift. After a failure the
            // connection itself may be gone: the phase's own error is the one to report.
            try
            {
                await DriftCheck.RecordAsync(RequireLedger, $"{command} {plan.Id}", driftBefore, CancellationToken.None);
            }
            catch (Exception e) when (!ran && e is DbException or InvalidOperationException)
            {
                Log($"  the schema after the failed phase was not recorded: {e.Message}");
            }
        }

        if (executor.Replanned is { } replanned)
        {
            Cli.Line($"re-planned change {plan.Id} {command}: {replanned}");
            await HistoryAsync(command + " --replan", plan.Id, "replanned", replanned);
        }

        if (executor.Kept.Count > 0)
        {
            detail = (detail is null ? "" : detail + "; ") + "kept (not created by this change): " + string.Join(", ", executor.Kept);
        }

        await HistoryAsync(command, plan.Id, "done", detail);
        return executor.Kept;
    }

    /// <summary>The drift check for this session's database (see <see cref="DriftCheck"/>).</summary>
    public Task<DriftCheck.Result> DriftAsync(CancellationToken cancellation) =>
        DriftCheck.RunAsync(RequireLedger, File.Exists(Config.BaselinePath) ? File.ReadAllText(Config.BaselinePath) : null, cancellation);

    public Task HistoryAsync(string command, long? changeId, string outcome, string? detail = null) =>
        Ledger is null || ReadOnly ? Task.CompletedTask : Ledger.RecordHistoryAsync(command, changeId, outcome, detail);

    public async ValueTask DisposeAsync()
    {
        if (_opening is { } unused)
        {
            // Opened early but never used (a command that refused before connecting).
            _opening = null;
            try
            {
                await (await unused).DisposeAsync();
            }
            catch (Exception)
            {
                // It failed to open: nothing to close.
            }
        }

        if (Ledger is not null)
        {
            if (!ReadOnly)
            {
                // The server drops a closed session's locks only once its backend has noticed the close:
                // released here, the lock is free before this command exits, for the next one to take.
                await LedgerLock.ReleaseAsync(Ledger.Connection);
            }

            await Ledger.Connection.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
