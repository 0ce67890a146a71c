using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Migrator.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the database tests use: the one MIGRATOR_TEST_PG names, or a throwaway
/// cluster made with initdb in a temp folder on a free port (as the postgres user when the tests run
/// as root, since PostgreSQL refuses to run as root), stopped and removed when the run ends.
/// A missing server is a failure, never a skipped test.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private readonly string? _directory;
    private readonly string? _binaries;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string adminConnectionString, string? directory, string? binaries, bool asPostgresUser)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
        _binaries = binaries;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>Password of the postgres user in a throwaway cluster.</summary>
    public const string Password = "migrator-test-secret";

    /// <summary>Connection string of a superuser on the server's postgres database.</summary>
    public string AdminConnectionString { get; }

    /// <param name="alsoListenOn">An address of this host the cluster listens on besides 127.0.0.1, with
    /// password authentication for clients from that address (the pacing bench's writers that the server
    /// must see as on another host); ignored with MIGRATOR_TEST_PG.</param>
    public static PostgresCluster Start(string? alsoListenOn = null)
    {
        string? external = Environment.GetEnvironmentVariable("MIGRATOR_TEST_PG");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresCluster(external, null, null, false);
        }

        string binaries = FindBinaries();
        bool root = Environment.UserName == "root";
        string directory = Directory.CreateTempSubdirectory("migrator-pg-").FullName;
        if (root)
        {
            Run("chown", ["-R", "postgres:postgres", directory], asPostgres: false, binaries: null);
        }

        int port = FreePort();
        string data = Path.Combine(directory, "data");
        // Password authentication over TCP, so that tests can prove a wrong password is reported.
        string passwordFile = Path.Combine(directory, "pw");
        File.WriteAllText(passwordFile, Password);
        Run(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], root, binaries);
        if (alsoListenOn is not null)
        {
            string width = alsoListenOn.Contains(':', StringComparison.Ordinal) ? "128" : "32";
            File.AppendAllText(Path.Combine(data, "pg_hba.conf"), $"\nhost all all {alsoListenOn}/{width} scram-sha-256\n");
        }

        string listen = alsoListenOn is null ? "127.0.0.1" : $"127.0.0.1,{alsoListenOn}";
        string options = $"-p {port} -k {directory} -c listen_addresses={listen} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        Run(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"], root, binaries);
        var cluster = new PostgresCluster($"Host=127.0.0.1;Port={port};Username=postgres;Password={Password};Database=postgres;Pooling=false", directory, binaries, root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase(string prefix)
    {
        string name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public void DropDatabase(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>True when this run started the server itself, so it can restart it.</summary>
    public bool CanRestart => _directory is not null;

    /// <summary>Restarts the throwaway server with a fast shutdown: every session is cut, as in a real restart.</summary>
    public void Restart()
    {
        if (_directory is null)
        {
            throw new InvalidOperationException("an external server (MIGRATOR_TEST_PG) cannot be restarted by the tests");
        }

        // -l as at start: without it the restarted server would write to pg_ctl's output, which Run reads to its end.
        Run(Path.Combine(_binaries!, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"], _asPostgresUser, _binaries);
        NpgsqlConnection.ClearAllPools();
    }

    public void Dispose()
    {
        if (_directory is null || !Directory.Exists(_directory))
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Run(Path.Combine(_binaries!, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser, _binaries);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The directory of PostgreSQL's programs (initdb, pg_ctl, pgbench).</summary>
    public static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("MIGRATOR_PG_BIN") is { Length: > 0 } bin)
        {
            candidates.Add(bin);
        }

        candidates.Add("/usr/lib/postgresql/15/bin");
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL binaries not found (looked in MIGRATOR_PG_BIN and /usr/lib/postgresql/*/bin): install PostgreSQL 15 or set MIGRATOR_TEST_PG to a server's connection string");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, IReadOnlyList<string> args, bool asPostgres, string? binaries)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {stdout}{stderr.Result}");
        }
    }
}
