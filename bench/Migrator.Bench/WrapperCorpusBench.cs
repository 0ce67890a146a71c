using System.Diagnostics;
using System.Globalization;
using System.Text;
using Migrator.Compatibility;

namespace Migrator.Bench;

/// <summary>
/// `usage extract` on the generated wrapper app (<see cref="WrapperCorpus"/>, issue 16), timed: what was
/// found against the marker comments, and the wall time of the first and of warm runs.
/// </summary>
public static class WrapperCorpusBench
{
    public static string Run(int files, TextWriter log)
    {
        string app = Path.Combine(Path.GetTempPath(), "migrator-wrappers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(app);
        try
        {
            WrapperCorpus.Write(app, files);
            var times = new List<long>();
            UsageManifest? manifest = null;
            for (int run = 0; run < 4; run++)
            {
                var clock = Stopwatch.StartNew();
                manifest = UsageExtractor.Extract(app, "1.0.0");
                times.Add(clock.ElapsedMilliseconds);
                log.WriteLine($"run {run + 1}: {clock.ElapsedMilliseconds} ms");
            }

            var c = WrapperCorpus.Count(app, manifest!);
            var warm = times.Skip(1).Order().ToList();
            string ms(long v) => v.ToString(CultureInfo.InvariantCulture);
            return new StringBuilder()
                .AppendLine("| measure | value |")
                .AppendLine("|---|---|")
                .AppendLine($"| files | {files} |")
                .AppendLine($"| real Dapper calls with SQL known at compile time: resolved | {c.RealResolved} of {c.Real} ({100.0 * c.RealResolved / c.Real:0.0} %) |")
                .AppendLine($"| real calls whose SQL is built at run time: listed as unresolved | {c.RuntimeUnresolved} of {c.Runtime} |")
                .AppendLine($"| all real calls resolved | {c.RealResolved} of {c.Real + c.Runtime} ({100.0 * c.RealResolved / (c.Real + c.Runtime):0.0} %) |")
                .AppendLine($"| non-Dapper calls (HTTP Execute, retry Execute, cache Query) reported | {c.DecoysReported} of {c.Decoys} |")
                .AppendLine($"| entries at no marked call, or real calls left unresolved | {c.Other} |")
                .AppendLine($"| wall time, first run in the process | {ms(times[0])} ms |")
                .AppendLine($"| wall time, warm median (runs {string.Join(", ", times.Skip(1).Select(ms))}) | {ms(warm[warm.Count / 2])} ms |")
                .ToString();
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }
}
