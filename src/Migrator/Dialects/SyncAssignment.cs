namespace Migrator.Dialects;

/// <summary>One assignment of a sync direction: <paramref name="Column"/> := <paramref name="Expression"/>.</summary>
public sealed record SyncAssignment(string Column, string Expression);
