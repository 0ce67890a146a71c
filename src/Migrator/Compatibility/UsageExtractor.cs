using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
        // One semantic model per file, shared by the calls found in it and the wrapper call sites bound in
        // it: a model caches what it has bound.
        var models = trees.ToDictionary(t => t, t => compilation.GetSemanticModel(t));
        var calls = new Lazy<ILookup<string, (InvocationExpressionSyntax Call, SemanticModel Model)>>(() => CallSites(models));
        // One manifest entry per SQL statement (`plan --verify` prepares each alone, and an entry holding
        // several is refused when loaded); a call whose SQL is only known at run time is unresolved.
        void Add(string file, DapperCall call)
        {
            int line = call.Location.GetLineSpan().StartLinePosition.Line + 1;
            if (call.Sql is null)
            {
                unresolved.Add(new UnresolvedSql(file, line, call.Method, call.UnresolvedReason ?? "unknown"));
                return;
            }

            foreach (string piece in dialect == "sqlserver" ? [call.Sql] : PgStatements.Split(call.Sql))
            {
                statements.Add(Describe(file, line, call, piece, Analyze(piece, dialect, null)));
            }
        }

        foreach (var tree in trees)
        {
            var model = models[tree];
            foreach (var call in DapperCallFinder.Find(tree, model))
            {
                if (call.Sql is null && ThroughParameter(call, model, calls.Value) is { Count: > 0 } sites)
                {
                    // A wrapper taking the SQL as a parameter: each call site's argument is the SQL.
                    foreach (var site in sites)
                    {
                        Add(site.Location.SourceTree?.FilePath ?? tree.FilePath, site);
                    }
                }
                else
                {
                    Add(tree.FilePath, call);
                }
            }

            foreach (var call in EfRawSqlCalls(tree, model))
            {
                Add(tree.FilePath, call);
            }
        }

        statements.AddRange(EfStatements(trees, dialect));
        return new UsageManifest(UsageManifest.CurrentFormat, appVersion, Path.GetFileName(directory), dialect, statements, unresolved);
    }

    /// <summary>How deep SQL is followed through wrappers that pass it on as a parameter.</summary>
    private const int WrapperDepth = 3;

    /// <summary>Every call in the app, by the name of the method it calls (for following SQL into
    /// wrappers): read from syntax alone; only the calls of a wrapper's name are bound later.</summary>
    private static ILookup<string, (InvocationExpressionSyntax Call, SemanticModel Model)> CallSites(Dictionary<SyntaxTree, SemanticModel> models) =>
        models.SelectMany(m => m.Key.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Select(i => (Call: i, Model: m.Value, Name: i.Expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
                    SimpleNameSyntax name => name.Identifier.Text,
                    _ => "",
                })))
            .ToLookup(c => c.Name, c => (c.Call, c.Model), StringComparer.Ordinal);

    /// <summary>
    /// When a Dapper call's SQL is a parameter of the method around it (a repository's
    /// <c>QueryAsync&lt;T&gt;(string sql, object args)</c>), the SQL of each place that calls that method:
    /// the argument given for the parameter, resolved there (constants, interpolation), followed through
    /// up to <see cref="WrapperDepth"/> wrappers. Null when the SQL is not a parameter, or the method is
    /// never called in the app.
    /// </summary>
    private static List<DapperCall>? ThroughParameter(DapperCall call, SemanticModel model, ILookup<string, (InvocationExpressionSyntax Call, SemanticModel Model)> calls, int depth = 0)
    {
        if (depth >= WrapperDepth || call.SqlExpression is not ExpressionSyntax expression
            || model.GetSymbolInfo(expression).Symbol is not IParameterSymbol { ContainingSymbol: IMethodSymbol wrapper } parameter)
        {
            return null;
        }

        var sites = new List<DapperCall>();
        foreach (var (site, siteModel) in calls[wrapper.Name])
        {
            if (siteModel.GetOperation(site) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation
                || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, wrapper.OriginalDefinition)
                || invocation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition)) is not { Syntax: ArgumentSyntax argument })
            {
                continue;
            }

            var (sql, reason) = SqlTextResolver.Resolve(argument.Expression, siteModel);
            var found = new DapperCall($"{call.Method} via {wrapper.Name}", site.GetLocation(), sql, reason, argument.Expression);
            var deeper = sql is null ? ThroughParameter(found, siteModel, calls, depth + 1) : null;
            sites.AddRange(deeper is { Count: > 0 } ? deeper : [found]);
        }

        return sites;
    }

    /// <summary>EF Core's raw SQL: the SQL of <c>FromSql*</c>, <c>ExecuteSql*</c> and <c>SqlQuery*</c> (an
    /// interpolated string's holes are parameters, as EF sends them).</summary>
    private static readonly HashSet<string> EfRawSqlMethods = new(
    [
        "FromSqlRaw", "FromSqlInterpolated", "FromSql", "ExecuteSqlRaw", "ExecuteSqlRawAsync", "ExecuteSqlInterpolated",
        "ExecuteSqlInterpolatedAsync", "ExecuteSql", "ExecuteSqlAsync", "SqlQuery", "SqlQueryRaw",
    ], StringComparer.Ordinal);

    private static IEnumerable<DapperCall> EfRawSqlCalls(SyntaxTree tree, SemanticModel model)
    {
        foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.Expression is not MemberAccessExpressionSyntax { Name: var name } || !EfRawSqlMethods.Contains(name.Identifier.Text) || call.ArgumentList.Arguments.Count == 0)
            {
                continue;
            }

            var (sql, reason) = SqlTextResolver.Resolve(call.ArgumentList.Arguments[0].Expression, model);
            if (sql is not null && name.Identifier.Text.Contains("Raw", StringComparison.Ordinal))
            {
                // The Raw methods take string.Format-style placeholders, which EF sends as parameters.
                sql = System.Text.RegularExpressions.Regex.Replace(sql, @"\{(\d+)\}", "@p$1");
            }

            yield return new DapperCall("EF Core " + name.Identifier.Text, call.GetLocation(), sql, reason, call);
        }
    }

    /// <summary>
    /// What an EF Core app sends for every entity its model snapshot maps (<see cref="EfCore.EfModelSnapshot"/>):
    /// EF selects every mapped column of an entity and inserts every one, so each mapping is a SELECT of
    /// all its columns (the entity as the row type) and an INSERT of all of them, at the snapshot's line.
    /// </summary>
    private static IEnumerable<UsageStatement> EfStatements(IEnumerable<SyntaxTree> trees, string dialect)
    {
        Dialects.ISqlDialect quoting = dialect == "sqlserver" ? new Dialects.SqlServer.SqlServerDialect() : new Dialects.Postgres.PostgresDialect();
        var mappings = EfCore.EfModelSnapshot.Read(trees);
        foreach (var mapping in mappings.Where(m => m.SplitOwner is null))
        {
            // An owned type in its owner's table is read and written with its owner, in one statement.
            var columns = mapping.Columns
                .Concat(mappings.Where(o => o.SplitOwner == mapping.Entity && o.Table == mapping.Table && o.Schema == mapping.Schema).SelectMany(o => o.Columns))
                .DistinctBy(c => c.Name).ToList();
            string table = mapping.Schema is null ? quoting.Quote(mapping.Table) : quoting.Qualified(mapping.Schema, mapping.Table);
            string list = string.Join(", ", columns.Select(c => quoting.Quote(c.Name)));
            string method = $"EF Core model: {mapping.Entity}";
            var properties = columns.Select(c => new PropertySource(mapping.Table, c.Name, c.Property, c.Line)).ToList();
            string select = $"SELECT {list} FROM {table}";
            var reader = new DapperCall(method, Location.None, select, null, SyntaxFactory.IdentifierName("model"))
            {
                ResultType = mapping.Entity,
                ResultMembers = [.. columns.Select(c => new MappedMember(c.Name, c.ClrType, c.Nullable))],
            };
            var read = Describe(mapping.File, mapping.Line, reader, select, Analyze(select, dialect, null));
            yield return read with { Properties = properties };
            if (!mapping.IsView)
            {
                string insert = $"INSERT INTO {table} ({list}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
                var writer = new DapperCall(method, Location.None, insert, null, SyntaxFactory.IdentifierName("model"));
                var write = Describe(mapping.File, mapping.Line, writer, insert, Analyze(insert, dialect, null));
                yield return write with { Properties = properties };
            }
        }
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
