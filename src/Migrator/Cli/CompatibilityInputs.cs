using System.CommandLine;
using Migrator.Compatibility;
using Migrator.Ledger;
using Semver;

namespace Migrator.Cli;

/// <summary>Which app versions a report checks, with their manifests: the ones given with --usage, and with
/// a connection every live version (its stored manifest unless --usage gives a newer one).</summary>
public static class CompatibilityInputs
{
    public static async Task<IReadOnlyList<AppVersionUsage>> VersionsAsync(CliSession session, ParseResult parse, IEnumerable<string> extra)
    {
        var given = ReportOptions.Manifests(parse);
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

    public static Task<VisibleSchema> LiveSchemaAsync(CliSession session) =>
        VisibleSchema.ReadAsync(session.RequireLedger.Connection, session.Config.LedgerSchema);
}
