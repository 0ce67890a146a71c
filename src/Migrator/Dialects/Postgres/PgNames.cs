namespace Migrator.Dialects.Postgres;

/// <summary>Names Migrator makes for its own objects.</summary>
public static class PgNames
{
    /// <summary>PostgreSQL truncates identifiers to 63 bytes; keep Migrator's names within that.</summary>
    public static string Fit(string name) => name.Length <= 63 ? name : name[..63];
}
