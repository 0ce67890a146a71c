namespace Migrator.Authoring;

/// <summary>
/// Marks a class deriving from <see cref="Change"/> as one logical schema change.
/// </summary>
/// <param name="id">Stable id, ordered like a FluentMigrator version (e.g. 202611230001).</param>
/// <param name="description">What the change does, in one line.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ChangeAttribute(long id, string description) : Attribute
{
    public long Id { get; } = id;

    public string Description { get; } = description;

    /// <summary>The first app version (SemVer) whose code needs the expanded schema.</summary>
    public string AppVersion { get; set; } = "";

    /// <summary>
    /// Optional: contract may run only when no live version is older than this one.
    /// Defaults to <see cref="AppVersion"/>.
    /// </summary>
    public string? ContractAfter { get; set; }
}
