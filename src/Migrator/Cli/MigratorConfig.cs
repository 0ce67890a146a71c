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

    /// <summary>Rows per backfill batch.</summary>
    public int BatchSize { get; set; } = 1000;

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

            return new MigratorConfig();
        }

        MigratorConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<MigratorConfig>(File.ReadAllText(file), Json);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new MigratorException(ExitCodes.BadInput, $"{Path.GetFileName(file)} is not valid{where}: {FirstSentence(e.Message)}");
        }

        config ??= new MigratorConfig();
        config.BaseDirectory = Path.GetDirectoryName(file)!;
        config.Validate(Path.GetFileName(file));
        return config;
    }

    /// <summary>Resolves a path relative to the config file's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    private void Validate(string file)
    {
        if (LockTimeoutMs <= 0 || BatchSize <= 0 || LockRetries < 1 || LockWaitSeconds < 0)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"{file}: lockTimeoutMs, batchSize and lockRetries must be positive, lockWaitSeconds not negative");
        }

        if (string.IsNullOrWhiteSpace(LedgerSchema))
        {
            throw new MigratorException(ExitCodes.BadInput, $"{file}: ledgerSchema must not be empty");
        }
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
