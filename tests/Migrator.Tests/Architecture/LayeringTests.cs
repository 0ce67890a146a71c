using System.Reflection;
using NetArchTest.Rules;

namespace Migrator.Tests.Architecture;

/// <summary>
/// The engine's namespaces depend on each other in one direction only (docs/architecture.md,
/// "Layers"): schema model, then dialects, then authoring and operations, then planning, then
/// compatibility, then execution and the ledger, then reports, then the command line. A namespace may
/// use its own layer and the layers before it, never one after it.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The layers, first to last; namespaces listed together form one layer.</summary>
    public static readonly string[][] Layers =
    [
        ["Migrator.Schema"],
        ["Migrator.Dialects"],
        ["Migrator.Authoring"],
        ["Migrator.Planning"],
        ["Migrator.Compatibility"],
        ["Migrator.Execution", "Migrator.Ledger"],
        ["Migrator.Reports"],
        ["Migrator.Cli"],
    ];

    private static readonly Assembly Engine = typeof(Migrator.Cli.MigratorCli).Assembly;

    [Test]
    public void Every_namespace_of_the_engine_belongs_to_a_layer()
    {
        var namespaces = Engine.GetTypes().Select(t => t.Namespace).Where(n => n is not null && n != "Migrator" && !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft", StringComparison.Ordinal)).Distinct().ToList();
        var unplaced = namespaces.Where(n => !Layers.SelectMany(l => l).Any(layer => n == layer || n!.StartsWith(layer + ".", StringComparison.Ordinal))).ToList();
        Assert.That(unplaced, Is.Empty, "place each namespace in a layer");
    }

    [TestCaseSource(nameof(LayerIndexes))]
    public void A_layer_uses_no_later_layer(int index)
    {
        string[] later = [.. Layers.Skip(index + 1).SelectMany(l => l)];

        var failing = new List<string>();
        foreach (string ns in Layers[index])
        {
            var result = Types.InAssembly(Engine).That().ResideInNamespace(ns).ShouldNot().HaveDependencyOnAny(later).GetResult();
            failing.AddRange(result.FailingTypeNames ?? []);
        }

        Assert.That(failing, Is.Empty, $"{string.Join(", ", Layers[index])} must not use {string.Join(", ", later)}");
    }

    [Test]
    public void The_root_namespace_uses_no_layer()
    {
        var result = Types.InAssembly(Engine).That().ResideInNamespaceMatching("^Migrator$")
            .ShouldNot().HaveDependencyOnAny([.. Layers.SelectMany(l => l)]).GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty, "MigratorException and ExitCodes are used by every layer");
    }

    /// <summary>The PostgreSQL driver is the PostgreSQL dialect's: no other namespace of the engine names
    /// an Npgsql type (the backfill library, PostgreSQL's implementation of the backfill, is its own
    /// assembly). The layers above talk to the database through ADO.NET's DbConnection.</summary>
    [Test]
    public void Only_the_postgres_dialect_uses_Npgsql()
    {
        var result = Types.InAssembly(Engine).That().DoNotResideInNamespace("Migrator.Dialects.Postgres")
            .ShouldNot().HaveDependencyOn("Npgsql").GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
        Assert.That(Types.InAssembly(Engine).That().ResideInNamespace("Migrator.Dialects.Postgres").And().HaveDependencyOn("Npgsql").GetTypes(), Is.Not.Empty,
            "the check sees Npgsql where it is used (not a vacuous pass)");
    }

    /// <summary>Operations say what they want; the dialect writes the SQL: nothing under Authoring names
    /// either engine's dialect.</summary>
    [Test]
    public void Operations_use_no_engine_specific_dialect()
    {
        var result = Types.InAssembly(Engine).That().ResideInNamespace("Migrator.Authoring")
            .ShouldNot().HaveDependencyOnAny("Migrator.Dialects.Postgres", "Migrator.Dialects.SqlServer").GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    /// <summary>Every layer but the last, which may use all the others.</summary>
    private static IEnumerable<int> LayerIndexes() => Enumerable.Range(0, Layers.Length - 1);
}
