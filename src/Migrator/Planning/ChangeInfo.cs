using Migrator.Authoring;
using Semver;

namespace Migrator.Planning;

/// <summary>A change found in the migrations assembly, with its attribute read and checked.</summary>
public sealed record ChangeInfo(long Id, string Description, SemVersion AppVersion, SemVersion ContractAfter, Change Instance)
{
    public string Name => Instance is Authoring.EfCore.EfCoreChange ef ? ef.MigrationType.Name : Instance.GetType().Name;
}
