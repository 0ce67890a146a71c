using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migrator.Cli;

/// <summary>
/// Settings from migrator.json (docs/configuration.md). Paths are relative to the file's folder.
/// Flags override the file; MIGRATOR_CONNECTION overrides the file's connection.
/// </summary>
public sealed class MigratorConfig
{
    /// <summary>The migrations: a .csproj (built on demand) or a compiled .dll.</summary>
    public string? Migrations { get; set; }

    /// <summary>The baseline of an adopted database (written by `baseline`); default
    /// migrator-baseline.json in the config file's folder, used when it exists.</summary>
    public string? Baseline { get; set; }

    /// <summary>The baseline file's full path (it may not exist yet).</summary>
    public string BaselinePath => Resolve(Baseline ?? Schema.BaselineFile.DefaultName);

    /// <summary>Npgsql connection string. Prefer MIGRATOR_CONNECTION so no password sits in a file.</summary>
    public string? Connection { get; set; }

    /// <summary>Schema of the ledger tables and trigger functions.</summary>
    public string LedgerSchema { get; set; } = "migrator";

    /// <summary>lock_timeout for every DDL statement, in milliseconds.</summary>
    public int LockTimeoutMs { get; set; } = 500;

    /// <summary>Attempts per DDL step when it hits lock_timeout (55P03).</summary>
    public int LockRetries { get; set; } = 10;

    /// <summary>How long to wait for another migrator's ledger lock before exiting 3.</summary>
    public double LockWaitSeconds { get; set; } = 30;

    /// <summary>Seconds `contract` waits after the retirement of a version it would break (a rollback
    /// window during which traffic may still switch back); 0 = no wait.</summary>
    public double RetireWaitSeconds { get; set; }

    /// <summary>Rows per backfill batch.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>The database engine: <c>postgres</c> (the default) or <c>sqlserver</c> (offline
    /// `plan` only so far; docs/sqlserver.md).</summary>
    public string Provider { get; set; } = "postgres";

    /// <summary>statement_timeout of every phase step in milliseconds (0: none); unset, each kind of step
    /// gets its default (60 s for DDL, none for validations and CONCURRENTLY builds).</summary>
    public int? StatementTimeoutMs { get; set; }

    /// <summary>App versions of EF Core migrations that carry no <c>[AppVersion]</c>: the migration's id
    /// (<c>20261204022036_RenameEmail</c>) or name (<c>RenameEmail</c>) → the first app version that needs
    /// it (docs/efcore.md).</summary>
    public Dictionary<string, string>? EfCoreAppVersions { get; set; }

    /// <summary>`lint`: the PostgreSQL major version the .sql migrations run on.</summary>
    public int PgVersion { get; set; } = 15;

    /// <summary>`lint`: the transaction a runner wraps each .sql file in: none (each statement commits, except
    /// the file's own BEGIN … COMMIT) or file (one transaction per file).</summary>
    public string LintTransaction { get; set; } = "none";

    /// <summary>`lint`: rule ids left out, comma-separated (MIG0026,MIG0037).</summary>
    public string? LintExclude { get; set; }

    /// <summary>Base URL of the rule pages that reports link to (the rule id and ".md" are appended).</summary>
    public string RuleDocsUrl { get; set; } = Analyzers.RuleInfo.DefaultDocsBaseUrl;

    /// <summary>Folder of the config file; relative paths are resolved against it.</summary>
    [JsonIgnore]
    public string BaseDirectory { get; private set; } = Directory.GetCurrentDirectory();

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads the config. An explicitly named file must exist; the default ./migrator.json may be absent.</summary>
    public static MigratorConfig Load(string? path)
    {
        bool explicitPath = path is not null;
        string file = Path.GetFullPath(path ?? "migrator.json");
        if (!File.Exists(file))
        {
            if (explicitPath)
            {
                throw new MigratorException(ExitCodes.BadInput, $"config file not found: {file}");
            }

            var defaults = new MigratorConfig();
            if (defaults.ApplyEnvironment())
            {
                defaults.Validate("MIGRATOR_* environment variables");
            }

            return defaults;
        }

        MigratorConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<MigratorConfig>(File.ReadAllText(file), Json);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new MigratorException(ExitCodes.BadInput, $"{Path.GetFileName(file)} is not valid{where}: {Explain(e)}");
        }

        config ??= new MigratorConfig();
        config.BaseDirectory = Path.GetDirectoryName(file)!;
        bool fromEnvironment = config.ApplyEnvironment();
        config.Validate(fromEnvironment ? $"{Path.GetFileName(file)} with MIGRATOR_* environment variables" : Path.GetFileName(file));
        return config;
    }

    /// <summary>The environment variable that sets a key: MIGRATOR_ and the key in upper snake case
    /// (lockTimeoutMs → MIGRATOR_LOCK_TIMEOUT_MS).</summary>
    public static string EnvironmentName(string key) =>
        "MIGRATOR_" + System.Text.RegularExpressions.Regex.Replace(key, "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();

    /// <summary>Sets each key whose MIGRATOR_… variable is set and not empty (it overrides the file; flags
    /// override both). A value of the wrong kind is one clear error naming the variable.</summary>
    private bool ApplyEnvironment()
    {
        bool any = false;
        foreach (var property in typeof(MigratorConfig).GetProperties().Where(p => p.CanWrite && p.GetCustomAttributes(typeof(JsonIgnoreAttribute), false).Length == 0))
        {
            string key = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            string variable = EnvironmentName(key);
            string? text = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsGenericType)
            {
                throw new MigratorException(ExitCodes.BadInput, $"{variable}: {key} is set in migrator.json, not in the environment");
            }

            object value;
            if (type == typeof(string))
            {
                value = text;
            }
            else if (type == typeof(int) && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int whole))
            {
                value = whole;
            }
            else if (type == typeof(double) && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double number))
            {
                value = number;
            }
            else
            {
                throw new MigratorException(ExitCodes.BadInput, $"{variable}: '{text}' is not {(type == typeof(int) ? "a whole number" : "a number")}");
            }

            property.SetValue(this, value);
            if (key is "migrations" or "baseline")
            {
                // A path from the environment is relative to the working folder, not to the file.
                property.SetValue(this, Path.GetFullPath(text));
            }

            any = true;
        }

        return any;
    }

    /// <summary>Resolves a path relative to the config file's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    /// <summary>The keys migrator.json knows, as written in the file.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        [.. typeof(MigratorConfig).GetProperties().Where(p => p.CanWrite && p.GetCustomAttributes(typeof(JsonIgnoreAttribute), false).Length == 0)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])];

    /// <summary>Sets the keys given as flags (they override the environment and the file) and checks
    /// the result again.</summary>
    public void ApplyFlags(string? baseline, string? ledgerSchema, int? lockRetries, double? retireWait, string? ruleDocsUrl, string? provider = null, IReadOnlyList<string>? efAppVersions = null)
    {
        if (baseline is null && ledgerSchema is null && lockRetries is null && retireWait is null && ruleDocsUrl is null && provider is null && efAppVersions is not { Count: > 0 })
        {
            return;
        }

        foreach (string pair in efAppVersions ?? [])
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
            {
                throw new MigratorException(ExitCodes.BadInput, $"--ef-app-version expects MIGRATION=VERSION (e.g. RenameEmail=2.0.0), got '{pair}'");
            }

            EfCoreAppVersions ??= new Dictionary<string, string>(StringComparer.Ordinal);
            EfCoreAppVersions[pair[..eq]] = pair[(eq + 1)..];
        }

        if (baseline is not null)
        {
            Baseline = string.IsNullOrWhiteSpace(baseline) ? baseline : Path.GetFullPath(baseline);
        }

        LedgerSchema = ledgerSchema ?? LedgerSchema;
        LockRetries = lockRetries ?? LockRetries;
        RetireWaitSeconds = retireWait ?? RetireWaitSeconds;
        RuleDocsUrl = ruleDocsUrl ?? RuleDocsUrl;
        Provider = provider ?? Provider;
        Validate("flags");
    }

    private void Validate(string file)
    {
        Check(LockTimeoutMs is >= 1 and <= 3_600_000, "lockTimeoutMs must be a whole number from 1 to 3600000");
        Check(BatchSize is >= 1 and <= 1_000_000, "batchSize must be a whole number from 1 to 1000000");
        Check(LockRetries is >= 1 and <= 1000, "lockRetries must be a whole number from 1 to 1000");
        Check(double.IsFinite(LockWaitSeconds) && LockWaitSeconds is >= 0 and <= 86_400, "lockWaitSeconds must be a number from 0 to 86400");
        Check(!string.IsNullOrWhiteSpace(LedgerSchema), "ledgerSchema must not be empty");
        Check(Dialects.Postgres.PgNames.Bytes(LedgerSchema) <= Dialects.Postgres.PgNames.MaxBytes, $"ledgerSchema is {Dialects.Postgres.PgNames.Bytes(LedgerSchema)} bytes long; PostgreSQL allows 63");
        Check(Migrations is null || !string.IsNullOrWhiteSpace(Migrations), "migrations must not be empty");
        Check(double.IsFinite(RetireWaitSeconds) && RetireWaitSeconds is >= 0 and <= 2_592_000, "retireWaitSeconds must be a number from 0 to 2592000 (30 days)");
        Check(Baseline is null || !string.IsNullOrWhiteSpace(Baseline), "baseline must not be empty");
        Check(StatementTimeoutMs is null or (>= 0 and <= 86_400_000), "statementTimeoutMs must be a whole number from 0 (none) to 86400000");
        Check(PgVersion is >= 9 and <= 18, "pgVersion must be a PostgreSQL major version from 9 to 18");
        Check(EfCoreAppVersions is null || EfCoreAppVersions.All(e => !string.IsNullOrWhiteSpace(e.Key) && !string.IsNullOrWhiteSpace(e.Value)),
            "efCoreAppVersions maps each EF Core migration (its id or name) to an app version, e.g. { \"RenameEmail\": \"2.0.0\" }");
        Check(LintTransaction is "none" or "file", $"lintTransaction must be none or file, not '{LintTransaction}'");
        Check(LintExclude is null || System.Text.RegularExpressions.Regex.IsMatch(LintExclude, @"^\s*(MIG\d{4}\s*(,\s*|$))*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase),
            "lintExclude must be rule ids separated by commas, e.g. MIG0026,MIG0037");
        Check(Provider is "postgres" or "sqlserver", $"provider must be postgres or sqlserver, not '{Provider}'");
        Check(Uri.TryCreate(RuleDocsUrl, UriKind.Absolute, out var docs) && (docs.Scheme == Uri.UriSchemeHttps || docs.Scheme == Uri.UriSchemeHttp),
            "ruleDocsUrl must be an absolute http(s) URL, e.g. https://example.com/migrator/docs/rules/");

        void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new MigratorException(ExitCodes.BadInput, $"{file}: {message}");
            }
        }
    }

    /// <summary>System.Text.Json's message in plain words: an unknown key with the nearest known one,
    /// or a key whose value has the wrong kind, never a .NET type name.</summary>
    private static string Explain(JsonException e)
    {
        string? key = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.').Split('.', '[')[0] : null;
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var unknown = System.Text.RegularExpressions.Regex.Match(e.Message, "JSON property '(?<name>[^']*)'");
            string name = unknown.Success ? unknown.Groups["name"].Value : key ?? "?";
            string? near = Suggestions.Nearest(name, Keys);
            return $"unknown key '{name}'" + (near is null ? $"; the keys are {string.Join(", ", Keys)}" : $"; did you mean '{near}'?");
        }

        if (key is null)
        {
            return "the file must hold one JSON object of settings, e.g. { \"migrations\": \"Shop.Migrations/Shop.Migrations.csproj\" }";
        }

        if (typeof(MigratorConfig).GetProperties().FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)) is { } property)
        {
            return $"'{key}' must be {PlainErrors.Friendly(property.PropertyType.FullName ?? "")}";
        }

        return PlainErrors.OneLine(FirstSentence(e.Message));
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
