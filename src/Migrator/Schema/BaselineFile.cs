using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migrator.Schema;

/// <summary>
/// The baseline as a file in the migrations project (migrator-baseline.json by default): indented JSON
/// with a stable order, so a pull request shows a schema change as a readable diff, and its checksum
/// (SHA-256 of the bytes written) ties it to the baseline recorded in the ledger.
/// </summary>
public static class BaselineFile
{
    public const string DefaultName = "migrator-baseline.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
    };

    public static string Serialize(DatabaseSchema schema) => JsonSerializer.Serialize(schema, Options) + "\n";

    /// <summary>Parses a baseline; one clear error for a file that is not one.</summary>
    public static DatabaseSchema Parse(string json, string source)
    {
        DatabaseSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<DatabaseSchema>(json, Options);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new MigratorException(ExitCodes.BadInput, $"{source} is not a valid baseline{where}: {FirstSentence(e.Message)}");
        }

        if (schema is null)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{source} is not a valid baseline: it is empty");
        }

        if (schema.Format != DatabaseSchema.CurrentFormat)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{source} has format '{schema.Format}'; this Migrator reads '{DatabaseSchema.CurrentFormat}'");
        }

        return schema;
    }

    public static DatabaseSchema Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new MigratorException(ExitCodes.BadInput, $"baseline file not found: {path}");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static string Checksum(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
