using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 25's bookkeeping on a small hand-made sweep of one optimizer: the split at 8B tokens, the baselines by hand, the rule.</summary>
public sealed class HorizonSweepTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static SweepPoint Point(double d, double lr, double loss) =>
        new(1e8, d, lr, 64, 64 * 4096, (int)(d / (64 * 4096)), loss, double.NaN, FormattableString.Invariant($"muon-d{d:G3}-lr{lr:G3}"))
        { Configuration = "muon", WarmupSteps = 0, MinLrRatio = 0, LinearDecay = true };

    // Fitted: 2B and 4B (0.004 is not run at 2B); held out: 16B.
    private static SweepTable Table() => new(
    [
        Point(2e9, 0.008, 3.60), Point(2e9, 0.016, 3.58),
        Point(4e9, 0.004, 3.52), Point(4e9, 0.008, 3.48), Point(4e9, 0.016, 3.50),
        Point(16e9, 0.004, 3.30), Point(16e9, 0.008, 3.29), Point(16e9, 0.016, 3.33),
    ]);

    [Fact]
    public void The_law_is_fitted_up_to_8B_and_the_baselines_use_the_fitted_horizons_only()
    {
        var r = HorizonSweep.Run(Table());
        var s = Assert.Single(r.Summaries);
        Assert.Equal((5, 3, 1), (s.FittedRuns, s.HeldOutRuns, s.Horizons));
        Assert.Equal([0.004, 0.008, 0.016], r.Runs.Select(x => x.LearningRate).ToList());
        Assert.All(r.Runs, x => Assert.Equal(16e9, x.D));
        // Log-log at 0.008: the line through (ln 2e9, ln 3.60) and (ln 4e9, ln 3.48), at 16e9: 3.48 (3.48/3.60)^2. 0.004 has one fitted point: flat.
        Assert.Equal(3.48 * Math.Pow(3.48 / 3.60, 2), r.Runs[1].LogLog, 12);
        Assert.Equal(3.52, r.Runs[0].LogLog, 12);
        // Flat hold: the 4B loss at the same LR.
        Assert.Equal([3.52, 3.48, 3.50], r.Runs.Select(x => x.Flat).ToList());
        var h = Assert.Single(r.Horizons);
        Assert.Equal((0.008, true, 0.008), (h.BestLr, h.Bracketed, h.FlatLr)); // 4B's best is 0.008
        // Log-log of the best LR: 0.016 at 2B, 0.008 at 4B: halved per doubling of D, so 0.002 at 16B.
        Assert.Equal(0.002, h.LogLogLr, 12);
        Assert.Equal(2, h.LogLogSteps, 12);
        Assert.InRange(h.LawLr, 0.002, 0.032); // the grid: half the lowest LR to twice the highest
        Assert.Equal(s.LawMean <= s.LogLogMean && (h.LawSteps <= 1 ? 1 : 0) >= HorizonSweep.MinWithin2 && s.LawMeanSteps <= s.FlatMeanSteps, s.Passes);
        Assert.False(s.Passes); // one held-out horizon cannot reach 6 within x2
        Assert.Equal(r.Passes, s.Passes);
    }

    [Fact]
    public void Two_fitted_horizons_and_one_held_out_are_needed()
    {
        var e = Assert.Throws<ValidationDataException>(() => HorizonSweep.Run(new SweepTable([Point(4e9, 0.008, 3.5), Point(16e9, 0.008, 3.3)])));
        Assert.Equal("muon: 1 horizon(s) at or below 8E+09 tokens and 1 above; protocol 25 needs two or more and one or more.", e.Message);
    }

    [Fact]
    public void The_folder_is_the_manifest_file_read_with_its_facts()
    {
        string dir = _tmp.Path;
        Assert.Throws<ValidationDataException>(() => HorizonSweep.Load(dir));
        _tmp.File("runs.csv", "run_name,learning_rate,loss,optimizer_name,num_train_steps,num_tokens\na,0.01,3.5,muon,1907.3486328125,1000000000.0\n");
        const string facts = "\"facts\": { \"parameters\": 134217728, \"batchTokens\": 524288, \"sequenceLength\": 4096, \"warmupSteps\": 0, \"minLrRatio\": 0, \"decayFraction\": null, \"linearDecay\": true }";
        _tmp.File("manifest.json", "{ \"file\": \"runs.csv\", " + facts + " }");
        var p = Assert.Single(HorizonSweep.Load(dir).Points);
        Assert.Equal((134217728.0, 1907, true, (double?)null), (p.N, p.Iterations, p.LinearDecay, p.DecayFraction));
        _tmp.File("manifest.json", "{ \"file\": \"runs.csv\", " + facts.Replace("134217728", "-1", StringComparison.Ordinal) + " }");
        Assert.StartsWith(Path.Combine(dir, "manifest.json") + ": facts: parameters must be", Assert.Throws<ValidationDataException>(() => HorizonSweep.Load(dir)).Message, StringComparison.Ordinal);
        _tmp.File("manifest.json", "{ \"file\": \"missing.csv\", " + facts + " }");
        Assert.EndsWith("missing.csv: not found (run benchmarks/foreign-runs-hyperball/fetch.sh).", Assert.Throws<ValidationDataException>(() => HorizonSweep.Load(dir)).Message, StringComparison.Ordinal);
    }
}
