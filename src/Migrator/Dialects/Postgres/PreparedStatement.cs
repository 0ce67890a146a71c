using System.Data.Common;
using Npgsql;

namespace Migrator.Dialects.Postgres;

/// <summary>Statements PostgreSQL plans without running them.</summary>
public static class PreparedStatement
{
    /// <summary>
    /// Plans one statement without running it: a single protocol-level Parse (and Describe), sent by
    /// Npgsql as one batch command it never splits or rewrites. PostgreSQL itself refuses a Parse
    /// holding more than one statement ("cannot insert multiple commands into a prepared statement"),
    /// so text such as <c>SELECT 1; COMMIT; DROP TABLE t</c> can never execute here.
    /// </summary>
    public static async Task PrepareOnlyAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellation)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var batch = new NpgsqlBatch(npgsql, (NpgsqlTransaction)transaction) { BatchCommands = { new NpgsqlBatchCommand(sql) } };
        await batch.PrepareAsync(cancellation);

        // Npgsql keeps prepared statements by their text: the same statement after a later phase must
        // be parsed again, against the schema as that phase leaves it.
        npgsql.UnprepareAll();
    }

    /// <summary>Forgets every statement the connection prepared (Npgsql keeps them by their text).</summary>
    public static void ForgetAll(DbConnection connection) => ((NpgsqlConnection)connection).UnprepareAll();
}
