namespace Migrator.Compatibility;

/// <summary>
/// One thing the checker found: a rule (its id is shared with the analyzers), where in the rollout it
/// applies (change and phase), which app version it would break, and where in that version's code the
/// statement is.
/// </summary>
public sealed record Finding(string RuleId, Severity Severity, string Message)
{
    public long? ChangeId { get; init; }

    /// <summary>expand, backfill, contract, rollback, or "now" for the schema as it is.</summary>
    public string? Phase { get; init; }

    public string? AppVersion { get; init; }

    /// <summary>file:line of the app statement, when the finding is about one.</summary>
    public string? Location { get; init; }

    /// <summary>The SQL the finding is about (the phase statement or the app statement).</summary>
    public string? Sql { get; init; }

    /// <summary>For `lint`: where the statement starts in its file (a character offset).</summary>
    public int? Offset { get; init; }

    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {RuleId}: {Message}{(Location is null ? "" : $" ({Location})")}";
}
