using System.Globalization;
using HyperLaws.Readers;
using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 25's bookkeeping on a small hand-made sweep of one optimizer (the split at 8B tokens, the baselines by hand), its rule on
/// hand-made scores failing each part in turn, and the published score on the bundled real table.
/// </summary>
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
        Assert.False(h.LawAtGridEdge);
        Assert.False(s.OptimumWithin2); // one held-out horizon cannot reach 6 within x2
        Assert.StartsWith("not met (", s.Verdict, StringComparison.Ordinal);
        Assert.Contains("ii", s.Verdict, StringComparison.Ordinal);
        Assert.False(r.Passes);
    }

    [Fact]
    public void Two_fitted_horizons_and_one_held_out_are_needed()
    {
        var e = Assert.Throws<ValidationDataException>(() => HorizonSweep.Run(new SweepTable([Point(4e9, 0.008, 3.5), Point(16e9, 0.008, 3.3)])));
        Assert.Equal("muon: horizon(s) with a finite run: 1 at or below 8E+09 tokens and 1 above; protocol 25 needs two or more and one or more.", e.Message);
        // Rows without an optimizer are named so, and a horizon whose runs all diverged does not count.
        var noName = new SweepTable([Point(2e9, 0.008, 3.6) with { Configuration = null }, Point(4e9, 0.008, 3.5) with { Configuration = null }, Point(16e9, 0.008, double.PositiveInfinity) with { Configuration = null }]);
        Assert.Equal("(no optimizer): horizon(s) with a finite run: 2 at or below 8E+09 tokens and 0 above; protocol 25 needs two or more and one or more.",
            Assert.Throws<ValidationDataException>(() => HorizonSweep.Run(noName)).Message);
    }

    /// <summary>The bundled real table (protocol 25's source) with the manifest's facts: the published score (docs/VALIDATION.md, "Protocol 25: results").</summary>
    [Fact]
    public void The_published_score_on_the_real_table()
    {
        var facts = new RunsTableFacts(134217728, 524288, 4096, 0, 0, null, true);
        var table = RunsTableReader.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "wandb_runs_table", "wandb_hyperball_runs.csv"), facts);
        var r = HorizonSweep.Run(table);
        static string Pct(double x) => (100 * x).ToString("F3", CultureInfo.InvariantCulture);
        static string F2(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
        var got = r.Summaries.Select(s => (s.Optimizer, s.FittedRuns, s.HeldOutRuns, Pct(s.LawMean), Pct(s.LawMax), Pct(s.LogLogMean), Pct(s.FlatMean),
            $"{s.LawWithin2}/{s.FlatWithin2}/{s.LogLogWithin2} of {s.Horizons}", s.LawNearest, $"{F2(s.LawMeanSteps)}/{F2(s.FlatMeanSteps)}/{F2(s.LogLogMeanSteps)}", s.Verdict)).ToList();
        Assert.Equal(
        [
            ("muon", 25, 37, "0.144", "0.511", "6.017", "3.645", "8/5/7 of 8", 4, "0.45/0.87/0.54", "met"),
            ("muonh", 25, 37, "0.238", "0.598", "6.224", "3.927", "8/8/8 of 8", 7, "0.15/0.31/0.33", "met"),
        ], got);
        Assert.True(r.Passes);
        Assert.DoesNotContain(r.Horizons, h => h.LawAtGridEdge); // every optimum is inside its grid (rule (ii)'s edge check changes nothing here)
    }

    private static HorizonSweepRun Run(double law, double logLog, double flat) => new("x", 16e9, 0.01, 3.0, 3.0 * (1 + law), 3.0 * (1 + logLog), 3.0 * (1 - flat));

    private static HorizonSweepHorizon Horizon(double lawSteps, double flatSteps, bool atEdge = false) =>
        new("x", 16e9, 4, 0.01, true, 0.01 * Math.Pow(2, lawSteps), 0.01 / Math.Pow(2, flatSteps), 0.01 * Math.Pow(2, 0.25), atEdge);

    /// <summary>Rules (i)-(iii) on hand-made scores of six held-out horizons: each fails alone, and the verdict names it.</summary>
    [Fact]
    public void Each_part_of_the_rule_fails_in_turn()
    {
        // Met: law error 0.1% (log-log 1%), the optimum 1 step off at 6 of 6 horizons (x2 exactly counts), the flat hold 1.5 steps off.
        HorizonSweepRun[] good = [Run(0.001, 0.01, 0.02), Run(0.002, 0.01, 0.02)];
        HorizonSweepHorizon[] within = [.. Enumerable.Range(0, 6).Select(_ => Horizon(1, 1.5))];
        var met = HorizonSweepSummary.Of("x", 10, good, within);
        Assert.Equal((6, 0, 1.0, 0), (met.LawWithin2, met.FlatWithin2, met.LawMeanSteps, met.LawNearest));
        Assert.Equal(1.5, met.FlatMeanSteps, 12);
        Assert.Equal("met", met.Verdict);

        // (i): the law's mean error 1.5% above the log-log line's 1%.
        Assert.Equal("not met (i)", HorizonSweepSummary.Of("x", 10, [Run(0.01, 0.01, 0.02), Run(0.02, 0.01, 0.02)], within).Verdict);
        // (ii): 5 of 6 within x2 (one 1.5 steps off; the mean, 1.08, still under the flat hold's 1.5).
        Assert.Equal("not met (ii)", HorizonSweepSummary.Of("x", 10, good, [.. within[..5], Horizon(1.5, 1.5)]).Verdict);
        // (ii) at the grid's edge: an optimum at the search grid's end is a bound, not within x2, however close.
        var edge = HorizonSweepSummary.Of("x", 10, good, [.. within[..5], Horizon(0.1, 1.5, atEdge: true)]);
        Assert.Equal((5, "not met (ii)"), (edge.LawWithin2, edge.Verdict));
        // (iii): the flat hold half a step off everywhere, the law one step.
        Assert.Equal("not met (iii)", HorizonSweepSummary.Of("x", 10, good, [.. Enumerable.Range(0, 6).Select(_ => Horizon(1, 0.5))]).Verdict);
        Assert.Equal("not met (i, ii, iii)", HorizonSweepSummary.Of("x", 10, [Run(0.02, 0.01, 0.02)], [.. Enumerable.Range(0, 6).Select(_ => Horizon(1.5, 0.5))]).Verdict);
        // A NaN optimum (the law's loss NaN over the grid) is never within x2 and fails (iii).
        Assert.Equal("not met (ii, iii)", HorizonSweepSummary.Of("x", 10, good, [.. within[..5], within[0] with { LawLr = double.NaN }]).Verdict);
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

    /// <summary>Each manifest fact of the wrong kind is refused in one line naming it (was: warmupSteps truncated, linearDecay false unless true).</summary>
    [Theory]
    [InlineData("\"warmupSteps\": 0", "\"warmupSteps\": 2.5", "facts.warmupSteps: expected a whole number of steps in [0, 1e9].")]
    [InlineData("\"warmupSteps\": 0", "\"warmupSteps\": 1e12", "facts.warmupSteps: expected a whole number of steps in [0, 1e9].")]
    [InlineData("\"warmupSteps\": 0", "\"warmupSteps\": -1", "facts.warmupSteps: expected a whole number of steps in [0, 1e9].")]
    [InlineData("\"warmupSteps\": 0", "\"warmupSteps\": \"100\"", "facts.warmupSteps: expected a whole number of steps in [0, 1e9].")]
    [InlineData("\"linearDecay\": true", "\"linearDecay\": \"yes\"", "facts.linearDecay: expected true or false (false: cosine).")]
    [InlineData("\"linearDecay\": true", "\"linearDecay\": 1", "facts.linearDecay: expected true or false (false: cosine).")]
    [InlineData(", \"linearDecay\": true", "", "facts.linearDecay: expected true or false (false: cosine).")]
    [InlineData("\"decayFraction\": null", "\"decayFraction\": \"0.2\"", "facts.decayFraction: expected a number or null (every step after the warmup).")]
    [InlineData("\"decayFraction\": null, ", "", "facts.decayFraction: expected a number or null (every step after the warmup).")]
    [InlineData("\"minLrRatio\": 0", "\"minLrRatio\": false", "facts.minLrRatio: expected a number.")]
    public void A_manifest_fact_of_the_wrong_kind_is_refused_naming_it(string from, string to, string expected)
    {
        _tmp.File("runs.csv", "run_name,learning_rate,loss,optimizer_name,num_tokens\na,0.01,3.5,muon,1000000000.0\n");
        const string facts = "\"facts\": { \"parameters\": 134217728, \"batchTokens\": 524288, \"sequenceLength\": 4096, \"warmupSteps\": 0, \"minLrRatio\": 0, \"decayFraction\": null, \"linearDecay\": true }";
        Assert.Contains(from, facts, StringComparison.Ordinal);
        _tmp.File("manifest.json", "{ \"file\": \"runs.csv\", " + facts.Replace(from, to, StringComparison.Ordinal) + " }");
        Assert.Equal(Path.Combine(_tmp.Path, "manifest.json") + ": " + expected, Assert.Throws<ValidationDataException>(() => HorizonSweep.Load(_tmp.Path)).Message);
    }

    /// <summary>A run not longer than the manifest's warmup is refused naming its line.</summary>
    [Fact]
    public void A_run_no_longer_than_the_warmup_is_refused_naming_its_line()
    {
        _tmp.File("runs.csv", "run_name,learning_rate,loss,optimizer_name,num_tokens\na,0.01,3.5,muon,1e9\nb,0.01,3.6,muon,5.24288e8\n");
        _tmp.File("manifest.json", "{ \"file\": \"runs.csv\", \"facts\": { \"parameters\": 134217728, \"batchTokens\": 524288, \"sequenceLength\": 4096, \"warmupSteps\": 1000, \"minLrRatio\": 0, \"decayFraction\": null, \"linearDecay\": true } }");
        Assert.Equal(Path.Combine(_tmp.Path, "runs.csv") + ":3: 5.24288E+08 tokens at 524288 per step is 1000 steps, not more than the warmup's 1000 (the peak LR is never held).",
            Assert.Throws<ValidationDataException>(() => HorizonSweep.Load(_tmp.Path)).Message);
    }
}
