using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;
using Migrator.Authoring;
using Migrator.Authoring.EfCore;

namespace Migrator.Planning;

/// <summary>Finds the EF Core migrations of a migrations assembly and reads each into a change.</summary>
internal static class EfCoreMigrations
{
    /// <summary>
    /// EF Core migrations (<c>[Migration("20261201093000_AddTier")]</c>) as changes: the id is the
    /// timestamp EF gives the migration, the description its name, the app version
    /// <see cref="AppVersionAttribute"/>; the operations its <c>Up</c> records become phases
    /// (<see cref="EfOperationTranslator"/>).
    /// </summary>
    public static List<ChangeInfo> Find(IEnumerable<Type> types, string? efCoreThrough, IReadOnlyDictionary<string, string> versions, string source)
    {
        var migrations = types.Where(t => typeof(Migration).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (Type: t, Id: t.GetCustomAttribute<MigrationAttribute>()?.Id ?? "")).Where(m => m.Id.Length > 0).OrderBy(m => m.Type.FullName).ToList();
        if (versions.Keys.FirstOrDefault(k => !migrations.Any(m => m.Id == k || m.Id.EndsWith("_" + k, StringComparison.Ordinal))) is { } unknown)
        {
            throw new MigratorException(ExitCodes.BadInput, $"efCoreAppVersions names {unknown}, which is not an EF Core migration of {source}");
        }

        var changes = new List<ChangeInfo>();
        foreach (var (type, efId) in migrations)
        {
            if (efCoreThrough is not null && string.CompareOrdinal(efId, efCoreThrough) <= 0)
            {
                continue; // the adopted database's EF history lists it: part of its baseline
            }

            string what = $"EF Core migration {efId}";
            var match = System.Text.RegularExpressions.Regex.Match(efId, @"^(?<stamp>[0-9]{1,18})_(?<name>.+)$");
            if (!match.Success)
            {
                throw new MigratorException(ExitCodes.BadInput, $"{what}: the id must be a timestamp and a name, as `dotnet ef migrations add` writes it (20261201093000_AddTier)");
            }

            string name = match.Groups["name"].Value;
            string? configured = versions.GetValueOrDefault(efId) ?? versions.GetValueOrDefault(name);
            var attribute = type.GetCustomAttribute<AppVersionAttribute>();
            if (attribute is not null && configured is not null)
            {
                throw new MigratorException(ExitCodes.BadInput, $"{what} has [AppVersion] and an entry in efCoreAppVersions: keep one");
            }

            var version = attribute ?? (configured is null ? null : new AppVersionAttribute(configured))
                ?? throw new MigratorException(ExitCodes.BadInput, $"{what} ({type.FullName}) has no [AppVersion(\"x.y.z\")] and no entry in efCoreAppVersions: give the first app version that needs it (docs/efcore.md)");
            var appVersion = ChangeCatalog.ParseVersion(version.AppVersion, what);
            var contractAfter = version.ContractAfter is null ? appVersion : ChangeCatalog.ParseVersion(version.ContractAfter, what + " ContractAfter");
            IReadOnlyList<Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation> up, down;
            try
            {
                var migration = (Migration)Activator.CreateInstance(type)!;
                migration.ActiveProvider = Dialects.Postgres.PostgresDialect.EfCoreProvider;
                up = migration.UpOperations;
                down = DownOperations(migration);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The migration's own code runs here (its constructor, Up, Down): whatever it throws is its input.
                throw new MigratorException(ExitCodes.BadInput, $"{what}: cannot read its Up operations ({(e is TargetInvocationException { InnerException: { } inner } ? inner : e).Message})");
            }

            long id = long.Parse(match.Groups["stamp"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (id <= 0)
            {
                throw new MigratorException(ExitCodes.BadInput, $"{what}: its timestamp must be positive");
            }

            changes.Add(new ChangeInfo(id, name, appVersion, contractAfter, EfOperationTranslator.Translate(type, up, down)));
        }

        return changes;
    }

    /// <summary>A migration's Down operations, or none when it has no Down (EF's base throws).</summary>
    private static IReadOnlyList<Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation> DownOperations(Migration migration)
    {
        try
        {
            return migration.DownOperations;
        }
        catch (NotSupportedException)
        {
            return [];
        }
    }
}
