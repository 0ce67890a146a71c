using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;
using Migrator.Authoring;
using Migrator.Authoring.EfCore;
using Semver;

namespace Migrator.Planning;

/// <summary>Finds the changes in a migrations assembly and checks their ids and versions.</summary>
public static class ChangeCatalog
{
    /// <param name="allowNone">True when a baseline describes the database, so a project with no change yet is fine.</param>
    /// <param name="efCoreThrough">EF Core migrations up to this id (ordinal) were applied by EF Core before
    /// the database was adopted (the baseline's <see cref="Schema.DatabaseSchema.EfCoreMigrationsThrough"/>): not changes.</param>
    /// <param name="efCoreVersions">App versions of EF Core migrations without <c>[AppVersion]</c>, by id or name
    /// (migrator.json's <c>efCoreAppVersions</c>).</param>
    /// <param name="provider">The database engine (migrator.json's <c>provider</c>): EF Core migrations are
    /// read for PostgreSQL only so far.</param>
    public static IReadOnlyList<ChangeInfo> FromAssembly(Assembly assembly, bool allowNone = false, string? efCoreThrough = null, IReadOnlyDictionary<string, string>? efCoreVersions = null, string provider = "postgres")
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"cannot load the types of {assembly.GetName().Name}: {e.LoaderExceptions.FirstOrDefault()?.Message}");
        }

        return FromTypes(types, assembly.GetName().Name ?? "the assembly", allowNone, efCoreThrough, efCoreVersions, provider);
    }

    /// <summary>The changes among <paramref name="types"/>, checked and ordered by id.</summary>
    public static IReadOnlyList<ChangeInfo> FromTypes(IEnumerable<Type> types, string source, bool allowNone = false, string? efCoreThrough = null, IReadOnlyDictionary<string, string>? efCoreVersions = null, string provider = "postgres")
    {
        var changes = new List<ChangeInfo>();
        foreach (var type in types.Where(t => typeof(Change).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.FullName))
        {
            var attribute = type.GetCustomAttribute<ChangeAttribute>()
                ?? throw new MigratorException(ExitCodes.BadInput, $"{type.FullName} derives from Change but has no [Change(id, description, AppVersion = ...)]");
            changes.Add(Create(type, attribute));
        }

        var efCore = EfCoreMigrations(types, efCoreThrough, efCoreVersions ?? new Dictionary<string, string>(), source);
        if (efCore.Count > 0 && provider != "postgres")
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"EF Core migration {efCore[0].Id} ({efCore[0].Name}): EF Core migrations run on PostgreSQL only so far, not {provider} (docs/efcore.md)");
        }

        changes.AddRange(efCore);

        if (changes.Count == 0 && !allowNone)
        {
            throw new MigratorException(ExitCodes.BadInput, $"no changes found in {source} (public classes deriving from Change, marked [Change(id, description)], or EF Core migrations marked [AppVersion])");
        }

        var duplicate = changes.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigratorException(ExitCodes.BadInput,
                $"change id {duplicate.Key} is used by {string.Join(" and ", duplicate.Select(c => c.Name))}");
        }

        return [.. changes.OrderBy(c => c.Id)];
    }

    /// <summary>Parses an app version; one clear error if it is not SemVer 2.0.</summary>
    public static SemVersion ParseVersion(string text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MigratorException(ExitCodes.BadInput, $"{what} has no app version: give a SemVer version (e.g. 2.0.0)");
        }

        if (!SemVersion.TryParse(text, SemVersionStyles.Strict, out var version))
        {
            throw new MigratorException(ExitCodes.BadInput, $"{what}: '{text}' is not a SemVer version (e.g. 2.0.0 or 2.1.0-rc.1)");
        }

        return version;
    }

    /// <summary>
    /// EF Core migrations (<c>[Migration("20261201093000_AddTier")]</c>) as changes: the id is the
    /// timestamp EF gives the migration, the description its name, the app version
    /// <see cref="AppVersionAttribute"/>; the operations its <c>Up</c> records become phases
    /// (<see cref="EfOperationTranslator"/>).
    /// </summary>
    private static List<ChangeInfo> EfCoreMigrations(IEnumerable<Type> types, string? efCoreThrough, IReadOnlyDictionary<string, string> versions, string source)
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
            var appVersion = ParseVersion(version.AppVersion, what);
            var contractAfter = version.ContractAfter is null ? appVersion : ParseVersion(version.ContractAfter, what + " ContractAfter");
            IReadOnlyList<Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation> up, down;
            try
            {
                var migration = (Migration)Activator.CreateInstance(type)!;
                migration.ActiveProvider = Dialects.Postgres.PostgresDialect.EfCoreProvider;
                up = migration.UpOperations;
                down = DownOperations(migration);
            }
            catch (Exception e) when (e is MissingMethodException or TargetInvocationException or InvalidOperationException or ArgumentException)
            {
                throw new MigratorException(ExitCodes.BadInput, $"{what}: cannot read its Up operations ({(e.InnerException ?? e).Message})");
            }

            long id = long.Parse(match.Groups["stamp"].Value, System.Globalization.CultureInfo.InvariantCulture);
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

    private static ChangeInfo Create(Type type, ChangeAttribute attribute)
    {
        if (attribute.Id <= 0)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{type.FullName}: change id must be positive");
        }

        string what = $"change {attribute.Id} ({type.Name})";
        var appVersion = ParseVersion(attribute.AppVersion, what);
        var contractAfter = attribute.ContractAfter is null ? appVersion : ParseVersion(attribute.ContractAfter, what + " ContractAfter");
        Change instance;
        try
        {
            instance = (Change)Activator.CreateInstance(type)!;
        }
        catch (Exception e) when (e is MissingMethodException or TargetInvocationException)
        {
            throw new MigratorException(ExitCodes.BadInput, $"{what}: cannot create it ({(e.InnerException ?? e).Message})");
        }

        return new ChangeInfo(attribute.Id, attribute.Description, appVersion, contractAfter, instance);
    }
}
