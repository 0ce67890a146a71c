namespace Migrator.Analyzers.Tests.Rules;

public class ChangeVersionTests
{
    [Test]
    public Task Changes_without_a_valid_app_version_are_flagged() =>
        Verifier.AnalyzeAsync<ChangeVersionAnalyzer>("""
            using Migrator.Authoring;
            public class {|MIG0040:NoAttribute|} : Change { }
            [{|MIG0040:Change(2, "x")|}]
            public class NoVersion : Change { }
            [{|MIG0040:Change(3, "x", AppVersion = "v2")|}]
            public class NotSemVer : Change { }
            [{|MIG0040:Change(4, "x", AppVersion = "2.0.0", ContractAfter = "2.1")|}]
            public class BadContractAfter : Change { }
            """);

    [Test]
    public Task Valid_changes_and_abstract_bases_are_not_flagged() =>
        Verifier.AnalyzeAsync<ChangeVersionAnalyzer>("""
            using Migrator.Authoring;
            public abstract class ShopChange : Change { }
            [Change(5, "x", AppVersion = "2.0.0", ContractAfter = "2.1.0-rc.1")]
            public class Good : ShopChange { }
            """);

    [Test]
    public Task Types_named_Change_in_other_namespaces_are_not_changes() =>
        Verifier.AnalyzeAsync<ChangeVersionAnalyzer>("""
            namespace Shop.Migrator.Authoring { public abstract class Change { } }
            namespace Authoring { public abstract class Change { } }
            namespace Shop
            {
                public class Local : Shop.Migrator.Authoring.Change { }
                public class Short : global::Authoring.Change { }
                public class {|MIG0040:Real|} : global::Migrator.Authoring.Change { }
            }
            """);

    [Test]
    public void Full_names_are_compared_part_by_part()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("x", [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
            namespace A.B { public class C { public class D { } } }
            namespace B { public class C { } }
            public class C { }
            """)]);
        var abc = compilation.GetTypeByMetadataName("A.B.C")!;
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(abc, "A.B.C"), Is.True);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(abc, "B.C"), Is.False);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(abc, "X.A.B.C"), Is.False);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(abc, "C"), Is.False);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(abc, "A.BB.C"), Is.False);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(compilation.GetTypeByMetadataName("A.B.C+D")!, "A.B.C.D"), Is.False);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(compilation.GetTypeByMetadataName("B.C")!, "B.C"), Is.True);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(compilation.GetTypeByMetadataName("C")!, "C"), Is.True);
        Assert.That(Migrator.Analyzers.Migrations.MigrationParts.IsNamed(compilation.GetTypeByMetadataName("C")!, "B.C"), Is.False);
    }
}
