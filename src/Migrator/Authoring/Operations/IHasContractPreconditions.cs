using Migrator.Dialects;

namespace Migrator.Authoring.Operations;

/// <summary>An operation whose contract validates data: it says what must hold for that to succeed.</summary>
public interface IHasContractPreconditions
{
    IReadOnlyList<ContractPrecondition> Preconditions(OperationContext context);
}
