using System.Reflection;
using Migrator.Authoring;
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

        var efCore = EfCoreMigrations.Find(types, efCoreThrough, efCoreVersions ?? new Dictionary<string, string>(), source);
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
