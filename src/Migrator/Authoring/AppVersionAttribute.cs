namespace Migrator.Authoring;

/// <summary>
/// The first app version (SemVer) whose code needs what an EF Core migration adds; put it on the
/// migration class (the partial that `dotnet ef migrations add` writes). Migrator then runs the
/// migration as a phased change (docs/efcore.md). A migration without it is refused.
/// </summary>
/// <param name="appVersion">e.g. <c>2.0.0</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AppVersionAttribute(string appVersion) : Attribute
{
    public string AppVersion { get; } = appVersion;

    /// <summary>Optional: contract may run only when no live version is older than this one.
    /// Defaults to <see cref="AppVersion"/>.</summary>
    public string? ContractAfter { get; set; }
}
