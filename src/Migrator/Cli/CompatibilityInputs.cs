using System.CommandLine;
using Migrator.Compatibility;
using Migrator.Planning;
using Semver;

namespace Migrator.Cli;

/// <summary>Which app versions a report checks, with their manifests: the ones given with --usage, and with
/// a connection every live version (its stored manifest unless --usage gives a newer one).</summary>
public static class CompatibilityInputs
{
    public static async Task<IReadOnlyList<AppVersionUsage>> VersionsAsync(CliSession session, IReadOnlyDictionary<string, UsageManifest> given, IEnumerable<string> extra)
    {
        var versions = new Dictionary<string, UsageManifest?>(StringComparer.Ordinal);
        if (session.Ledger is { } ledger)
        {
            var stored = await ledger.LiveUsageAsync();
            foreach (var deployment in await ledger.DeploymentsAsync(liveOnly: true))
            {
                versions[deployment.AppVersion] = stored.TryGetValue(deployment.AppVersion, out var json)
                    ? UsageManifest.Parse(json, $"the ledger's manifest of {deployment.AppVersion}")
                    : null;
            }
        }

        foreach (var version in extra)
        {
            versions.TryAdd(version, null);
        }

        foreach (var (version, manifest) in given)
        {
            versions[version] = manifest;
        }

        return [.. versions
            .Select(v => new AppVersionUsage(SemVersion.Parse(v.Key, SemVersionStyles.Strict), v.Value))
            .OrderBy(v => v.Version, SemVersion.PrecedenceComparer)];
    }

    /// <summary>The checker's errors about live app versions if <paramref name="phase"/> of <paramref name="plan"/> ran now.</summary>
    public static async Task<IReadOnlyList<Finding>> BreaksAsync(CliSession session, ChangePlan plan, Authoring.Phase phase)
    {
        var versions = await VersionsAsync(session, new Dictionary<string, UsageManifest>(), []);
        var schema = await LiveSchemaAsync(session);
        var state = phase == Authoring.Phase.Expand ? ChangeState.Pending : ChangeState.Backfilled;
        return [.. CompatibilityChecker.Check([plan], _ => state, versions, schema)
            .Where(f => f.Severity == Severity.Error && f.AppVersion is not null && f.Phase == phase.ToString().ToLowerInvariant())];
    }

    public static Task<VisibleSchema> LiveSchemaAsync(CliSession session) =>
        VisibleSchema.ReadAsync(session.RequireLedger.Connection, session.Config.LedgerSchema);
}
