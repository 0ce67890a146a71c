using System.Net.Sockets;
using Npgsql;

namespace Migrator.Dialects.Postgres;

/// <summary>Opens connections and turns connection failures into one-line errors (exit 2 for a
/// malformed connection string, exit 4 when the server cannot be reached or refuses us).</summary>
public static class PostgresConnector
{
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new MigratorException(ExitCodes.BadInput, $"the connection string is malformed: {e.Message}");
        }

        // PostgreSQL's DETAIL (e.g. which views depend on a column) is part of our error lines.
        builder.IncludeErrorDetail = true;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "migrator";
        }

        return NpgsqlDataSource.Create(builder);
    }

    /// <summary>The connection string with its password removed, for messages.</summary>
    public static string Redact(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "(malformed connection string)";
        }
    }

    public static async Task<System.Data.Common.DbConnection> OpenAsync(System.Data.Common.DbDataSource source, CancellationToken cancellation = default)
    {
        try
        {
            return await source.OpenConnectionAsync(cancellation);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            string where = Redact(source.ConnectionString);
            string reason = e switch
            {
                PostgresException pg => pg.MessageText,
                _ when e.InnerException is SocketException socket => socket.Message,
                _ => e.Message,
            };
            throw new MigratorException(ExitCodes.DatabaseError, $"cannot connect to {where}: {reason}", e);
        }
    }
}
