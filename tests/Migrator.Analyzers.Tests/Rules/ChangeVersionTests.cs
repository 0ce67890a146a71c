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
}
