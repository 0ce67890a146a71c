using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Migrator.Analyzers.Sql;
using Migrator.Analyzers.Usage;
using Migrator.Dialects.SqlServer;

namespace Migrator.Compatibility;

/// <summary>
/// `usage extract`: reads an app's C# source with Roslyn (no build: the files are compiled in memory
/// against the runtime's assemblies, Dapper and Npgsql so the semantic model binds Dapper's calls and
/// constants across files), finds every Dapper call and analyses its SQL.
/// </summary>
public static class UsageExtractor
{
    private static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    ];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        paths.Add(typeof(Dapper.SqlMapper).Assembly.Location);
        // Npgsql's assembly sits beside the tool's (the PostgreSQL dialect loads it); named by file so
        // this layer holds no reference to the driver.
        paths.Add(Path.Combine(Path.GetDirectoryName(typeof(Dapper.SqlMapper).Assembly.Location)!, "Npgsql.dll"));
        return paths.Where(File.Exists).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    });

    public static UsageManifest Extract(string projectPath, string appVersion, string dialect = "postgres")
    {
        string directory = File.Exists(projectPath) ? Path.GetDirectoryName(Path.GetFullPath(projectPath))! : Path.GetFullPath(projectPath);
        if (!Directory.Exists(directory))
        {
            throw new MigratorException(ExitCodes.BadInput, $"project not found: {projectPath}");
        }

        var files = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(directory, f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new MigratorException(ExitCodes.BadInput, $"no C# files under {projectPath}");
        }

        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, path: Path.GetRelativePath(directory, f).Replace('\\', '/'))).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(string.Join("\n", ImplicitUsings.Select(u => $"global using global::{u};")), options, path: "(implicit usings)"));
        var compilation = CSharpCompilation.Create(
            "UsageExtraction",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var statements = new List<UsageStatement>();
        var unresolved = new List<UnresolvedSql>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var call in DapperCallFinder.Find(tree, model))
            {
                int line = call.Location.GetLineSpan().StartLinePosition.Line + 1;
                if (call.Sql is null)
                {
                    unresolved.Add(new UnresolvedSql(tree.FilePath, line, call.Method, call.UnresolvedReason ?? "unknown"));
                    continue;
                }

                // One manifest entry per SQL statement: `plan --verify` prepares each alone, and a
                // manifest entry holding several is refused when loaded.
                IReadOnlyList<string> pieces = dialect == "sqlserver" ? [call.Sql] : PgStatements.Split(call.Sql);
                foreach (string piece in pieces)
                {
                    statements.Add(Describe(tree.FilePath, line, call, piece, Analyze(piece, dialect, null)));
                }
            }
        }

        return new UsageManifest(UsageManifest.CurrentFormat, appVersion, Path.GetFileName(directory), dialect, statements, unresolved);
    }

    /// <summary>Analyses SQL in the given dialect, optionally with a schema to settle ambiguous columns.</summary>
    public static SqlAnalysis Analyze(string sql, string dialect, ISchemaLookup? schema) =>
        dialect == "sqlserver" ? TSqlUsageAnalyzer.Analyze(sql, schema) : PgSqlAnalyzer.Analyze(sql, schema);

    private static bool IsBuildOutput(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj");
    }

    private static UsageStatement Describe(string file, int line, DapperCall call, string sql, SqlAnalysis analysis) => new(
        file,
        line,
        call.Method,
        sql,
        analysis.Kind.ToString().ToLowerInvariant(),
        analysis.Tables.Select(t => new TableUsage(t.Schema, t.Name, t.Written)).ToList(),
        analysis.Columns.Where(c => c.Access == ColumnAccess.Read).Select(c => new ColumnUsage(c.Schema, c.Table, c.Column)).ToList(),
        analysis.Columns.Where(c => c.Access == ColumnAccess.Write).Select(c => new ColumnUsage(c.Schema, c.Table, c.Column)).ToList(),
        analysis.StarTables.Select(t => new TableUsage(t.Schema, t.Name, false)).ToList(),
        analysis.InsertsWithoutColumnList.Select(t => new TableUsage(t.Schema, t.Name, true)).ToList(),
        analysis.Parameters.ToList(),
        call.ResultType,
        call.ResultMembers.Select(m => new MappedColumn(m.Name, m.Type, m.Nullable)).ToList(),
        analysis.UnresolvedColumns.ToList(),
        analysis.Errors.ToList());
}
