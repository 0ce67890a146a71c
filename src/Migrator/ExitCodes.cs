namespace Migrator;

/// <summary>The process exit codes promised to users and pipelines (docs/commands.md).</summary>
public static class ExitCodes
{
    /// <summary>Success, or safe.</summary>
    public const int Ok = 0;

    /// <summary>Unsafe: breaking change found, gate closed, phase refused by the version rules.</summary>
    public const int Unsafe = 1;

    /// <summary>Bad input or configuration.</summary>
    public const int BadInput = 2;

    /// <summary>Another migrator holds the ledger lock.</summary>
    public const int Locked = 3;

    /// <summary>Database error.</summary>
    public const int DatabaseError = 4;

    /// <summary>A bug in Migrator (an unexpected exception): please report it.</summary>
    public const int Internal = 5;

    /// <summary>Stopped by Ctrl-C or SIGTERM: a backfill at a batch boundary, a phase before or in a
    /// step (rolled back); the ledger says where; running the command again resumes.</summary>
    public const int Stopped = 6;
}
