namespace Migrator.Dialects;

/// <summary>
/// Something a change's contract will prove by validation (a column becoming NOT NULL, a CHECK or a
/// foreign key being validated), with a query that finds a row breaking it. `gate` runs these, so an
/// open gate means the contract's validations will succeed on the data as it is.
/// </summary>
/// <param name="What">What must hold, in words.</param>
/// <param name="Violation">A query returning one row that breaks it, or nothing: <c>SELECT 1 FROM … WHERE …</c>.</param>
public sealed record ContractPrecondition(string What, string Violation);
