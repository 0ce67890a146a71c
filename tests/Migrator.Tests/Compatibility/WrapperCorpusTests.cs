using Migrator.Bench;
using Migrator.Compatibility;

namespace Migrator.Tests.Compatibility;

/// <summary>
/// The usage-extraction bench's generated app (Dapper direct and behind wrappers, HTTP/retry/cache
/// decoys, run-time SQL), at a size CI runs quickly: every real call with SQL known at compile time is
/// resolved, every call whose SQL is built at run time is listed as unresolved at its call site, no
/// non-Dapper call is reported, and nothing is reported anywhere else. The bench times it at 1,600 files.
/// </summary>
public sealed class WrapperCorpusTests
{
    [Test]
    public void Every_real_call_is_resolved_or_listed_and_no_decoy_is_reported()
    {
        string app = Path.Combine(Path.GetTempPath(), "migrator-wrapper-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(app);
        try
        {
            WrapperCorpus.Write(app, 60);
            var counts = WrapperCorpus.Count(app, UsageExtractor.Extract(app, "1.0.0"));

            Assert.Multiple(() =>
            {
                Assert.That(counts.Real, Is.GreaterThan(100), "the generated app has real calls");
                Assert.That(counts.RealResolved, Is.EqualTo(counts.Real));
                Assert.That(counts.Runtime, Is.GreaterThan(0));
                Assert.That(counts.RuntimeUnresolved, Is.EqualTo(counts.Runtime));
                Assert.That(counts.Decoys, Is.GreaterThan(0));
                Assert.That(counts.DecoysReported, Is.Zero);
                Assert.That(counts.Other, Is.Zero);
            });
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }
}
