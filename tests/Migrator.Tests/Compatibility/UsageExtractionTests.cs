using Migrator.Compatibility;
using Migrator.Tests.Infrastructure;

namespace Migrator.Tests.Compatibility;

/// <summary>`usage extract` over real-looking app code written to a temp folder: every way the SQL text
/// can be built at compile time is resolved, everything else is listed as unresolved with its place.</summary>
public class UsageExtractionTests
{
    private string _project = null!;

    [SetUp]
    public void CreateProject()
    {
        _project = Path.Combine(Path.GetTempPath(), "migrator-usage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_project);
        File.WriteAllText(Path.Combine(_project, "App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
    }

    [TearDown]
    public void DeleteProject() => Directory.Delete(_project, recursive: true);

    private readonly Dictionary<string, string> _files = [];

    private void Write(string file, string code)
    {
        _files[file] = code;
        File.WriteAllText(Path.Combine(_project, file), code);
    }

    /// <summary>The 1-based line of the first line of <paramref name="file"/> containing <paramref name="marker"/>.</summary>
    private int LineOf(string file, string marker) =>
        _files[file].ReplaceLineEndings("\n").Split('\n').Select((text, i) => (text, i)).First(x => x.text.Contains(marker)).i + 1;

    private UsageManifest Extract() => UsageExtractor.Extract(Path.Combine(_project, "App.csproj"), "1.2.0");

    private const string Header = """
        using System.Data;
        using Dapper;
        namespace Shop;
        """;

    /// <summary>Dapper.SqlBuilder: the template's markers are filled with every clause the method adds
    /// (conditional ones too), without a reference to the SqlBuilder package.</summary>
    [Test]
    public void A_SqlBuilder_template_is_read_with_every_clause_the_method_adds()
    {
        Write("Search.cs", Header + """

            public sealed class Order { public long Id { get; set; } public string Status { get; set; } = ""; }

            public sealed class Search(IDbConnection db)
            {
                public IEnumerable<Order> Find(string? status, long? customer)
                {
                    var builder = new SqlBuilder();
                    var template = builder.AddTemplate("SELECT /**select**/ FROM orders o /**innerjoin**/ /**where**/ /**orderby**/");
                    builder.Select("o.id").Select("o.status");
                    if (status is not null)
                    {
                        builder.Where("o.status = @status", new { status });
                    }

                    if (customer is not null)
                    {
                        builder.InnerJoin("customers c ON c.id = o.customer_id").Where("c.id = @customer", new { customer });
                    }

                    builder.OrderBy("o.placed_at DESC");
                    return db.Query<Order>(template.RawSql, template.Parameters); // query
                }
            }
            """);
        var statement = Extract().Statements.Single();
        Assert.That(statement.Line, Is.EqualTo(LineOf("Search.cs", "// query")));
        Assert.That(statement.Sql, Is.EqualTo("SELECT o.id, o.status FROM orders o INNER JOIN customers c ON c.id = o.customer_id WHERE o.status = @status AND c.id = @customer ORDER BY o.placed_at DESC"));
        Assert.That(statement.Tables.Select(t => t.Name), Is.EquivalentTo(new[] { "orders", "customers" }));
        Assert.That(statement.Reads.Select(r => $"{r.Table}.{r.Column}"), Does.Contain("orders.placed_at").And.Contain("customers.id").And.Contain("orders.customer_id"));
    }

    /// <summary>A repository that takes the SQL as a parameter: the SQL of each call site is read there,
    /// through a wrapper of a wrapper too; a call site whose SQL is built at run time is unresolved at its
    /// own line, and the wrapper's own Dapper call is no longer reported as unresolved.</summary>
    [Test]
    public void Sql_passed_to_a_wrapper_is_read_at_each_call_site()
    {
        Write("Db.cs", Header + """

            public sealed class Db(IDbConnection connection)
            {
                public Task<IEnumerable<T>> Many<T>(string sql, object? args = null) => connection.QueryAsync<T>(sql, args);
                public Task<int> Run(string statement) => Exec(statement);
                private Task<int> Exec(string text) => connection.ExecuteAsync(text);
            }
            """);
        Write("Customers.cs", Header + """

            public sealed class Customer { public long Id { get; set; } public string Email { get; set; } = ""; }

            public sealed class Customers(Db db)
            {
                private const string Active = "SELECT id, email FROM customers WHERE active";
                public Task<IEnumerable<Customer>> All() => db.Many<Customer>(Active); // all
                public Task<IEnumerable<Customer>> ById(long id) => db.Many<Customer>("SELECT id, email FROM customers WHERE id = @id", new { id }); // by id
                public Task<int> Touch() => db.Run("UPDATE customers SET seen_at = now()"); // touch
                public Task<int> Drop(string table) => db.Run("DELETE FROM " + table); // dynamic
            }
            """);
        var manifest = Extract();
        var found = manifest.Statements.Select(s => (s.File, s.Line, s.Method, s.Kind)).ToList();
        Assert.That(found, Is.EquivalentTo(new[]
        {
            ("Customers.cs", LineOf("Customers.cs", "// all"), "QueryAsync via Many", "select"),
            ("Customers.cs", LineOf("Customers.cs", "// by id"), "QueryAsync via Many", "select"),
            ("Customers.cs", LineOf("Customers.cs", "// touch"), "ExecuteAsync via Exec via Run", "update"),
        }));
        Assert.That(manifest.Statements.Single(s => s.Kind == "update").Writes.Select(w => w.Column), Is.EqualTo(new[] { "seen_at" }));
        Assert.That(manifest.Unresolved.Select(u => (u.File, u.Line)), Is.EqualTo(new[] { ("Customers.cs", LineOf("Customers.cs", "// dynamic")) }));
    }

    [Test]
    public void Sql_built_from_constants_concatenation_interpolation_raw_strings_nameof_and_locals_is_resolved()
    {
        Write("Sql.cs", Header + """

            public static class Sql
            {
                public const string Columns = "id, name, email";
                public const string Table = "customers";
                public static readonly string ByEmail = "SELECT " + Columns + " FROM " + Table + " WHERE email = @email";
            }
            """);
        Write("Repo.cs", Header + """"

            public sealed class Customer { public long Id { get; set; } public string Name { get; set; } = ""; public string? Email { get; set; } }

            public sealed class Repo(IDbConnection db)
            {
                private const string Where = " WHERE id = @id";

                public Customer? Get(long id) => db.QuerySingleOrDefault<Customer>("SELECT " + Sql.Columns + " FROM customers" + Where, new { id });

                public IEnumerable<Customer> ByEmail(string email) => db.Query<Customer>(Sql.ByEmail, new { email });

                public int Rename(long id, string name) => db.Execute($"UPDATE {Sql.Table} SET {nameof(Customer.Name)} = @name" + Where, new { id, name });

                public Task<IEnumerable<long>> Ids() => db.QueryAsync<long>(
                    """
                    SELECT id
                    FROM customers
                    ORDER BY id
                    """);

                public long Count()
                {
                    var sql = "SELECT count(*) FROM orders";
                    return db.ExecuteScalar<long>(sql);
                }

                public Task<int> Delete(long id)
                {
                    var command = new CommandDefinition("DELETE FROM customers" + Where, new { id });
                    return db.ExecuteAsync(command);
                }

                public Task<IEnumerable<Customer>> Named(string email) =>
                    db.QueryAsync<Customer>(param: new { email }, sql: Sql.ByEmail);

                public IEnumerable<Customer> Static(string email) => SqlMapper.Query<Customer>(db, Sql.ByEmail, new { email });

                public Task<int> Touch(long id) => db.ExecuteAsync(new CommandDefinition(commandText: "UPDATE orders SET note = '' WHERE id = @id", parameters: new { id }));
            }
            """");

        var manifest = Extract();
        Assert.That(manifest.Unresolved, Is.Empty, string.Join("\n", manifest.Unresolved));
        var sql = manifest.Statements.Select(s => (s.File, s.Line, s.Sql.ReplaceLineEndings(" "))).ToList();
        Assert.That(sql, Is.EqualTo(new[]
        {
            ("Repo.cs", LineOf("Repo.cs", "Customer? Get("), "SELECT id, name, email FROM customers WHERE id = @id"),
            ("Repo.cs", LineOf("Repo.cs", "ByEmail(string"), "SELECT id, name, email FROM customers WHERE email = @email"),
            ("Repo.cs", LineOf("Repo.cs", "int Rename("), "UPDATE customers SET Name = @name WHERE id = @id"),
            ("Repo.cs", LineOf("Repo.cs", "Ids() =>"), "SELECT id FROM customers ORDER BY id"),
            ("Repo.cs", LineOf("Repo.cs", "return db.ExecuteScalar"), "SELECT count(*) FROM orders"),
            ("Repo.cs", LineOf("Repo.cs", "return db.ExecuteAsync(command)"), "DELETE FROM customers WHERE id = @id"),
            ("Repo.cs", LineOf("Repo.cs", "db.QueryAsync<Customer>(param:"), "SELECT id, name, email FROM customers WHERE email = @email"),
            ("Repo.cs", LineOf("Repo.cs", "SqlMapper.Query<Customer>"), "SELECT id, name, email FROM customers WHERE email = @email"),
            ("Repo.cs", LineOf("Repo.cs", "Touch(long id)"), "UPDATE orders SET note = '' WHERE id = @id"),
        }));

        var get = manifest.Statements[0];
        Assert.That(get.Kind, Is.EqualTo("select"));
        Assert.That(get.Reads.Select(c => c.Column), Is.EqualTo(new[] { "id", "name", "email" }));
        Assert.That(get.Parameters, Is.EqualTo(new[] { "id" }));
        Assert.That(get.ResultType, Is.EqualTo("Shop.Customer"));
        Assert.That(get.ResultColumns.Select(c => (c.Name, c.Nullable)), Is.EqualTo(new[] { ("Id", false), ("Name", true), ("Email", true) }));
        Assert.That(manifest.Statements[2].Writes.Select(c => c.Column), Is.EqualTo(new[] { "name" }));
        Assert.That(manifest.Statements[5].Tables.Single().Written, Is.True);
    }

    [Test]
    public void Sql_known_only_at_run_time_is_listed_as_unresolved_with_its_place_and_never_guessed()
    {
        Write("Repo.cs", Header + """

            public sealed class Repo(IDbConnection db)
            {
                public IEnumerable<dynamic> Any(string sql) => db.Query(sql);

                public int Reassigned(bool all)
                {
                    var sql = "DELETE FROM orders";
                    if (!all)
                    {
                        sql += " WHERE status = 'new'";
                    }

                    return db.Execute(sql);
                }

                public IEnumerable<long> Sorted(string column) => db.Query<long>($"SELECT id FROM orders ORDER BY {column}");

                public int FromMethod() => db.Execute(BuildSql());

                private static string BuildSql() => "DELETE FROM orders";
            }
            """);

        var manifest = Extract();
        Assert.That(manifest.Statements, Is.Empty);
        Assert.That(manifest.Unresolved.Select(u => (u.Line, u.Method)), Is.EqualTo(new[]
        {
            (LineOf("Repo.cs", "Any(string sql)"), "Query"),
            (LineOf("Repo.cs", "return db.Execute(sql)"), "Execute"),
            (LineOf("Repo.cs", "Sorted(string column)"), "Query"),
            (LineOf("Repo.cs", "FromMethod()"), "Execute"),
        }));
        Assert.That(manifest.Unresolved[0].Reason, Does.Contain("parameter `sql`"));
        Assert.That(manifest.Unresolved[1].Reason, Does.Contain("assigned more than once"));
        Assert.That(manifest.Unresolved[2].Reason, Does.Contain("{column}"));
        Assert.That(manifest.Unresolved[3].Reason, Does.Contain("BuildSql()"));
    }

    /// <summary>Issue 16: in a real app, 58 HTTP-client <c>Execute(request)</c> calls were reported as unresolved
    /// Dapper calls, because a call that does not bind fell back to matching by name.</summary>
    [Test]
    public void Calls_named_like_Dappers_on_other_receivers_are_not_reported_and_unbound_connections_still_are()
    {
        Write("Gateway.cs", """
            using RestSharp;
            using Polly;
            namespace Shop;
            public class Gateway(RestClient client, ISyncPolicy policy, System.Net.Http.HttpClient http)
            {
                public object Send(RestRequest request) => client.Execute(request);
                public object Fetch(string url) => client.Execute(new RestRequest(url));
                public int Retry() => policy.Execute(() => 42);
                public object Local() => Execute("not sql at all");
                private object Execute(object anything) => anything;
            }
            """);
        Write("Repo.cs", Header + """
            public class Repo(IDbConnection db, MySqlConnector.MySqlConnection my)
            {
                public int Touch(long id) => db.Execute("UPDATE customers SET name = name WHERE id = @id", new { id });
                public int Unbound(long id) => my.Execute("-- the package is not referenced\nUPDATE orders SET status = 'x' WHERE id = @id", new { id });
                public int Dynamic(string sql) => my.Execute(sql);
                public int NotSql() => my.Execute("orders");
            }
            """);
        var manifest = Extract();
        Assert.That(manifest.Statements.Select(s => (s.File, s.Line)), Is.EquivalentTo(new[] { ("Repo.cs", LineOf("Repo.cs", "Touch")), ("Repo.cs", LineOf("Repo.cs", "Unbound(")) }));
        Assert.That(manifest.Unresolved.Select(u => (u.File, u.Line)), Is.EquivalentTo(new[] { ("Repo.cs", LineOf("Repo.cs", "Dynamic")) }), "a string known at run time on an unbound connection is still a Dapper call");
    }

    /// <summary>Issue 16: SQL with a run-time list or value in it (`IN ({ids})`, `'{…}'::int[]`) was dropped whole.</summary>
    [Test]
    public void Interpolation_holes_in_value_positions_become_parameters_and_holes_naming_columns_stay_unresolved()
    {
        Write("Repo.cs", Header + """

            public sealed class Repo(IDbConnection db)
            {
                public IEnumerable<long> In(string ids) => db.Query<long>($"SELECT id FROM orders WHERE id IN ({ids})");
                public IEnumerable<long> Since(DateTime since, int n) => db.Query<long>($"SELECT id FROM orders WHERE placed_at >= '{since:yyyy-MM-dd}' ORDER BY id LIMIT {n}");
                public IEnumerable<long> Any(string list) => db.Query<long>($"SELECT id FROM orders WHERE customer_id = ANY('{list}'::bigint[])");
                public int Values(long id, string status) => db.Execute($"INSERT INTO orders (id, status) VALUES ({id}, '{status}')");
                public IEnumerable<long> Column(string column) => db.Query<long>($"SELECT {column} FROM orders");
                public IEnumerable<long> Select(string column) => db.Query<long>($"SELECT id, {column} FROM orders");
                public IEnumerable<long> Table(string table) => db.Query<long>($"SELECT id FROM {table}");
            }
            """);

        var manifest = Extract();
        Assert.That(manifest.Statements.Select(s => s.Sql), Is.EqualTo(new[]
        {
            "SELECT id FROM orders WHERE id IN (@hole1)",
            "SELECT id FROM orders WHERE placed_at >= @hole1 ORDER BY id LIMIT @hole2",
            "SELECT id FROM orders WHERE customer_id = ANY(@hole1::bigint[])",
            "INSERT INTO orders (id, status) VALUES (@hole1, @hole2)",
        }));
        Assert.That(manifest.Statements[2].Reads.Select(c => c.Column), Does.Contain("customer_id"));
        Assert.That(manifest.Statements[3].Writes.Select(c => c.Column), Is.EquivalentTo(new[] { "id", "status" }));
        Assert.That(manifest.Statements[1].Parameters, Is.EquivalentTo(new[] { "hole1", "hole2" }));
        Assert.That(manifest.Unresolved.Select(u => u.Line), Is.EqualTo(new[] { LineOf("Repo.cs", "Column(string"), LineOf("Repo.cs", "Select(string"), LineOf("Repo.cs", "Table(string") }));
    }

    [Test]
    public void Select_star_into_a_type_records_its_properties_as_the_columns_the_code_expects()
    {
        Write("Repo.cs", Header + """

            public sealed record Order(long Id, string Status, decimal Total, DateTime? ShippedAt);

            public sealed class Repo(IDbConnection db)
            {
                public Order Get(long id) => db.QuerySingle<Order>("SELECT * FROM orders WHERE id = @id", new { id });
            }
            """);

        var statement = Extract().Statements.Single();
        Assert.That(statement.SelectStar.Single().Name, Is.EqualTo("orders"));
        Assert.That(statement.ResultColumns.Select(c => $"{c.Name}:{c.Nullable}"), Is.EqualTo(new[] { "Id:False", "Status:True", "Total:False", "ShippedAt:True" }));
    }

    [Test]
    public void Sql_the_analyser_cannot_parse_is_reported_on_its_statement_and_the_rest_is_still_read()
    {
        Write("Repo.cs", Header + """

            public sealed class Repo(IDbConnection db)
            {
                public int Broken() => db.Execute("UPDATE orders SET WHERE id = 1");

                public int Fine() => db.Execute("DELETE FROM orders WHERE id = 1");
            }
            """);

        var manifest = Extract();
        Assert.That(manifest.Statements, Has.Count.EqualTo(2));
        Assert.That(manifest.Statements[0].Errors, Has.Count.EqualTo(1));
        Assert.That(manifest.Statements[1].Errors, Is.Empty);
    }

    [Test]
    public async Task A_project_path_with_no_csharp_files_is_a_one_line_bad_input_error()
    {
        var result = await CliRunner.RunAsync("usage", "extract", "--project", _project, "--app-version", "1.0.0");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.Trim(), Does.StartWith("error: no C# files under").And.Not.Contain("\n"));
    }

    [Test]
    public async Task The_command_writes_the_manifest_and_a_summary()
    {
        Write("Repo.cs", Header + """

            public sealed class Repo(IDbConnection db)
            {
                public int Fine() => db.Execute("DELETE FROM orders WHERE id = 1");
            }
            """);
        string output = Path.Combine(_project, "usage.json");
        var result = await CliRunner.RunAsync("usage", "extract", "--project", _project, "--app-version", "1.0.0", "-o", output);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("1 statements, 0 unresolved, 0 not parsed"));
        Assert.That(UsageManifest.Load(output).Statements.Single().Tables.Single().Name, Is.EqualTo("orders"));
    }

    [TestCase("{\"formatVersion\": 7, \"appVersion\": \"1.0.0\"}", "format version 7")]
    [TestCase("{\"formatVersion\": 1, \"appVersion\": ", "not valid JSON")]
    [TestCase("[1, 2]", "has no formatVersion")]
    public void A_manifest_of_another_format_or_malformed_is_refused_with_a_clear_message(string json, string message)
    {
        var e = Assert.Throws<MigratorException>(() => UsageManifest.Parse(json, "m.json"));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain(message).And.Contain("m.json"));
    }
}
