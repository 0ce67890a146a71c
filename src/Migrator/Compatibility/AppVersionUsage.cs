using Semver;

namespace Migrator.Compatibility;

/// <summary>An app version the checker protects, with its usage manifest when one was given.</summary>
public sealed record AppVersionUsage(SemVersion Version, UsageManifest? Manifest)
{
    public override string ToString() => Version.ToString();
}
