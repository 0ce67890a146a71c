namespace Migrator.Bench;

/// <summary>Where the repository is, found from the bench's own output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Migrator.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Migrator.sln not found above " + AppContext.BaseDirectory);
    }
}
