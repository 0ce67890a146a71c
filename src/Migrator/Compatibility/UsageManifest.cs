using Migrator.Analyzers.Sql;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migrator.Compatibility;

/// <summary>
/// What one app version's code sends to the database: every Dapper statement with the tables and columns
/// it reads and writes, and the calls whose SQL could not be resolved. Written by `usage extract`,
/// stored with `deploy register V --usage FILE`, read by the compatibility checker. The JSON format is
/// documented in docs/usage-manifest.md; <see cref="CurrentFormat"/> changes when it does.
/// </summary>
public sealed record UsageManifest(
    int FormatVersion,
    string AppVersion,
    string Project,
    string Dialect,
    IReadOnlyList<UsageStatement> Statements,
    IReadOnlyList<UnresolvedSql> Unresolved)
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a manifest; a malformed one or one of another format version is a bad-input error naming <paramref name="source"/>.</summary>
    public static UsageManifest Parse(string json, string source)
    {
        int format;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("formatVersion", out var version)
                || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out format))
            {
                throw new MigratorException(ExitCodes.BadInput, $"usage manifest {source} has no formatVersion: is it a file written by `usage extract`?");
            }
        }
        catch (JsonException e)
        {
            throw new MigratorException(ExitCodes.BadInput, $"usage manifest {source} is not valid JSON: {e.Message}");
        }

        if (format != CurrentFormat)
        {
            throw new MigratorException(ExitCodes.BadInput, $"usage manifest {source} has format version {format}; this Migrator reads version {CurrentFormat} (run `usage extract` again)");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<UsageManifest>(json, Json)
                ?? throw new MigratorException(ExitCodes.BadInput, $"usage manifest {source} is empty");
            if (manifest.Statements is null || manifest.Unresolved is null || string.IsNullOrEmpty(manifest.AppVersion))
            {
                throw new MigratorException(ExitCodes.BadInput, $"usage manifest {source} lacks appVersion, statements or unresolved");
            }

            // One SQL statement per entry: `plan --verify` sends each to PostgreSQL, and text like
            // "SELECT 1; COMMIT; DROP TABLE t" must never reach it as anything but a refused entry.
            if (!string.Equals(manifest.Dialect, "sqlserver", StringComparison.OrdinalIgnoreCase)
                && manifest.Statements.FirstOrDefault(s => s.Sql is null || PgStatements.IsMultiple(s.Sql)) is { } several)
            {
                throw new MigratorException(ExitCodes.BadInput,
                    $"usage manifest {source}: the entry at {several.Location} holds {(several.Sql is null ? "no SQL" : PgStatements.Split(several.Sql).Count + " SQL statements")}; a manifest holds one statement per entry (run `usage extract` again)");
            }

            return manifest;
        }
        catch (JsonException e)
        {
            throw new MigratorException(ExitCodes.BadInput, $"usage manifest {source} does not match format version {CurrentFormat}: {e.Message}");
        }
    }

    public static UsageManifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new MigratorException(ExitCodes.BadInput, $"usage manifest not found: {path}");
        }

        return Parse(File.ReadAllText(path), path);
    }
}

/// <summary>One statement an app version sends, where it is in the code, and what it touches.</summary>
public sealed record UsageStatement(
    string File,
    int Line,
    string Method,
    string Sql,
    string Kind,
    IReadOnlyList<TableUsage> Tables,
    IReadOnlyList<ColumnUsage> Reads,
    IReadOnlyList<ColumnUsage> Writes,
    IReadOnlyList<TableUsage> SelectStar,
    IReadOnlyList<TableUsage> InsertsWithoutColumnList,
    IReadOnlyList<string> Parameters,
    string? ResultType,
    IReadOnlyList<MappedColumn> ResultColumns,
    IReadOnlyList<string> UnresolvedColumns,
    IReadOnlyList<string> Errors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PropertySource>? Properties = null)
{
    [JsonIgnore]
    public string Location => $"{File}:{Line}";

    /// <summary>Where the app maps <paramref name="table"/>.<paramref name="column"/> to a property (an EF
    /// Core model), or null.</summary>
    public PropertySource? PropertyOf(string table, string column) =>
        Properties?.FirstOrDefault(p => p.Table == table && p.Column == column);
}

/// <summary>An EF Core property mapped to a column, with its line in the model snapshot (in the
/// statement's file): findings about the column point there.</summary>
public sealed record PropertySource(string Table, string Column, string Property, int Line);

public sealed record TableUsage(string? Schema, string Name, bool Written);

public sealed record ColumnUsage(string? Schema, string Table, string Column);

/// <summary>A property of the row type: Dapper fills it from the column of the same name (case and underscores ignored).</summary>
public sealed record MappedColumn(string Name, string Type, bool Nullable);

/// <summary>A Dapper call whose SQL is only known at run time.</summary>
public sealed record UnresolvedSql(string File, int Line, string Method, string Reason);
