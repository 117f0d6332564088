using System.Globalization;
using HyperLaws.Tests;
using HyperLaws.Validation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 14's mechanics on a hand-made manifest of synthetic runs (the real logs are not in the repository; the protocol
/// itself runs behind <c>hyperlaws validate --protocol 14</c>): what is fitted, what is predicted, how the sets are averaged.
/// </summary>
public sealed class CrossDataTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>A generic CSV run of S steps at a constant LR: validation loss 3 + 5 / sqrt(step) every 100 steps.</summary>
    private void Run(string file, int steps)
    {
        var lines = new List<string> { "# schedule: constant(peak=0.001,steps=" + steps.ToString(CultureInfo.InvariantCulture) + ")", "step,loss,split" };
        for (int s = 100; s <= steps; s += 100) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{s},{3 + 5 / Math.Sqrt(s):R},val"));
        File.WriteAllLines(_tmp.Combine(file), lines);
    }

    private void Manifest(string body) => File.WriteAllText(_tmp.Combine(CrossData.ManifestName), body);

    [Fact]
    public void Each_run_is_fitted_on_its_first_half_and_scored_at_its_end_and_sets_weigh_equally()
    {
        Run("a.csv", 2000);
        Run("b.csv", 4000);
        Run("c.csv", 3000);
        Manifest("""
            {"horizonTransfer": {"from": "a", "to": "b"},
             "runs": [{"set": "one", "run": "a", "file": "a.csv", "schedule": null},
                      {"set": "one", "run": "b", "file": "b.csv", "schedule": null},
                      {"set": "two", "run": "c", "file": "c.csv", "schedule": null}]}
            """);
        var (runs, horizon) = CrossData.Load(_tmp.Path);
        Assert.Equal(("a", "b"), horizon);
        var result = CrossData.Run(runs, horizon, ["tissue"]);
        Assert.Equal(["one", "two"], result.Sets);

        // The baseline: the last validation loss at a step <= S/2, against the loss at S.
        var last = result.FirstHalf.Where(p => p.Law == CrossData.Baseline).ToList();
        Assert.Equal([(10, 1000, 2000), (20, 2000, 4000), (15, 1500, 3000)], last.Select(p => (p.Points, (int)Math.Round(Math.Pow(5 / (p.Predicted - 3), 2)), p.Step)));
        Assert.All(last, p => Assert.Equal(3 + 5 / Math.Sqrt(p.Step), p.Actual, 12));
        Assert.All(last, p => Assert.Equal(Math.Abs(p.Predicted - p.Actual) / p.Actual, p.RelativeError, 15));

        // Set means, then the mean of the set means (not of the three runs).
        var baseline = result.Summaries.Single(s => s.Law == CrossData.Baseline);
        double one = (last[0].RelativeError + last[1].RelativeError) / 2, two = last[2].RelativeError;
        Assert.Equal(one, baseline.SetMeans["one"], 15);
        Assert.Equal((one + two) / 2, baseline.MeanOfSets, 15);
        Assert.NotEqual(last.Average(p => p.RelativeError), baseline.MeanOfSets, 6);

        // The law (a power law in steps at a constant LR fits this curve): far better than the flat baseline, and it wins both sets.
        var tissue = result.Summaries.Single(s => s.Law == "tissue");
        Assert.Equal(0, tissue.Failures);
        Assert.Equal(2, tissue.Wins);
        Assert.True(tissue.MeanOfSets < 0.1 * baseline.MeanOfSets, $"{tissue.MeanOfSets} vs {baseline.MeanOfSets}");

        // 14b: fitted on all of a, predicting b's end.
        Assert.Equal(["last", "tissue"], result.Horizon.Select(p => p.Law));
        Assert.All(result.Horizon, p => Assert.Equal(("a", 20, "b", 4000), (p.FittedOn, p.Points, p.Run, p.Step)));
    }

    [Fact]
    public void A_missing_manifest_or_run_names_the_fetch_script()
    {
        var e = Assert.Throws<ValidationDataException>(() => CrossData.Load(_tmp.Path));
        Assert.Contains("benchmarks/foreign-runs/fetch.sh", e.Message, StringComparison.Ordinal);
        Manifest("""{"runs": [{"set": "one", "run": "a", "file": "a.csv"}]}""");
        e = Assert.Throws<ValidationDataException>(() => CrossData.Load(_tmp.Path));
        Assert.Contains("runs[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("a.csv not found", e.Message, StringComparison.Ordinal);
        Manifest("""{"runs": [{"set": "one", "file": "a.csv"}]}""");
        Assert.Contains("missing \"run\"", Assert.Throws<ValidationDataException>(() => CrossData.Load(_tmp.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_table_schedule_names_its_file_from_the_manifest_folder()
    {
        // The manifest names its runs from its own folder; a table schedule in it named its LR file from the working folder (review
        // leftover: where a spec found beside the runs reads its table). Now both from the manifest's folder, wherever this runs.
        Directory.CreateDirectory(_tmp.Combine("sub"));
        var lines = new List<string> { "step,loss,split" };
        for (int s = 100; s <= 1000; s += 100) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{s},{3 + 5 / Math.Sqrt(s):R},val"));
        File.WriteAllLines(_tmp.Combine("sub/a.csv"), lines);
        File.WriteAllLines(_tmp.Combine("sub/a.lr.csv"), ["lr", .. Enumerable.Range(1, 1000).Select(k => string.Create(CultureInfo.InvariantCulture, $"{1e-3 * (1 - 0.5 * k / 1000.0):R}"))]);
        Manifest("""{"runs": [{"set": "one", "run": "a", "file": "sub/a.csv", "schedule": "table(file=sub/a.lr.csv,column=lr)"}]}""");
        Assert.False(File.Exists("sub/a.lr.csv"), "the test needs a working folder without sub/a.lr.csv");
        var run = Assert.Single(CrossData.Load(_tmp.Path).Runs).Run;
        Assert.Equal(1000, run.Steps);
        Assert.Equal(1e-3 * (1 - 0.5 / 1000), run.LearningRates[0], 15);
        Assert.Equal(0.5e-3, run.LearningRates[^1], 15);
    }

    /// <summary>A WSD run of S steps (decay over the last 20%): validation loss 3 + 5 / sqrt(step), minus 0.1 times the decayed fraction of the LR.</summary>
    private void WsdRun(string file, int steps)
    {
        int start = steps - steps / 5;
        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"# schedule: wsd(peak=0.001,steps={steps},warmup=100,cooldownSteps={steps / 5})"), "step,loss,split" };
        for (int s = 100; s <= steps; s += 100)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{s},{3 + 5 / Math.Sqrt(s) - 0.1 * Math.Clamp((double)(s - start) / (steps - start), 0, 1):R},val"));
        File.WriteAllLines(_tmp.Combine(file), lines);
    }

    [Fact]
    public void Protocol_14c_holds_unidentified_decays_at_the_prior_and_adds_a_held_out_choice()
    {
        WsdRun("a.csv", 4000);
        WsdRun("b.csv", 6000);
        Manifest("""
            {"runs": [{"set": "one", "run": "a", "file": "a.csv"}, {"set": "two", "run": "b", "file": "b.csv"}]}
            """);
        var (runs, horizon) = CrossData.Load(_tmp.Path);
        var result = CrossData.Run(runs, horizon, ["tissue", "convex"]);
        // Both first halves are at one constant LR: tissue's annealing term is held at its prior, convex has none to hold.
        var tissue = result.FirstHalf.Where(p => p.Law == "tissue").ToList();
        Assert.All(tissue, p => Assert.Equal(["annealing"], p.Priors));
        Assert.All(result.FirstHalf.Where(p => p.Law == "convex"), p => Assert.Empty(p.Priors));
        Assert.Equal(2, result.Summaries.Single(s => s.Law == "tissue").WithPriors);
        Assert.All(result.FirstHalf.Where(p => p.Law != CrossData.Baseline), p => Assert.True(p.Predicted > 0));
        // select: per run one of the laws, with exactly that law's prediction; scored, but winning no set.
        var select = result.FirstHalf.Where(p => p.Law == CrossData.Select).ToList();
        Assert.Equal(2, select.Count);
        foreach (var p in select)
        {
            Assert.Contains(p.Chosen, new[] { "tissue", "convex" });
            Assert.Equal(result.FirstHalf.Single(q => q.Run == p.Run && q.Law == p.Chosen).Predicted, p.Predicted);
        }
        Assert.Equal(0, result.Summaries.Single(s => s.Law == CrossData.Select).Wins);
        Assert.Equal(2, result.Summaries.Where(s => s.Law is "tissue" or "convex").Sum(s => s.Wins));
        // priors: false is protocol 14's fit: reported nowhere, held nowhere.
        var free = CrossData.Run(runs, horizon, ["tissue"], priors: false);
        Assert.All(free.FirstHalf, p => Assert.Empty(p.Priors));
        Assert.DoesNotContain(free.FirstHalf, p => p.Law == CrossData.Select);
    }

    [Fact]
    public void The_identification_rule_reaches_every_fit_and_the_evidence_rule_records_its_decision()
    {
        // A cosine to 0 whose loss falls with the LR: its first half ends at about 52% of the peak, a decay seen only in part.
        var lines = new List<string> { "# schedule: cosine(peak=0.001,steps=4000,warmup=100)", "step,loss,split" };
        var lr = HyperLaws.Schedules.LrSchedule.Parse("cosine(peak=0.001,steps=4000,warmup=100)").Evaluate();
        for (int s = 100; s <= 4000; s += 100)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{s},{3 + 5 / Math.Sqrt(s) - 0.3 * (1 - lr[s - 1] / 0.001):R},val"));
        File.WriteAllLines(_tmp.Combine("cos.csv"), lines);
        Manifest("""
            {"runs": [{"set": "one", "run": "cos", "file": "cos.csv"}]}
            """);
        var (runs, horizon) = CrossData.Load(_tmp.Path);
        var shape = CrossData.Run(runs, horizon, ["tissue"], rule: HyperLaws.Fitting.IdentificationRule.Shape);   // 14d: held
        Assert.Equal(["annealing"], shape.FirstHalf.Single(p => p.Law == "tissue").Priors);
        Assert.Null(shape.FirstHalf.Single(p => p.Law == "tissue").Evidence);
        var c = CrossData.Run(runs, horizon, ["tissue"], rule: HyperLaws.Fitting.IdentificationRule.NoDecrement);   // 14c: free
        Assert.Empty(c.FirstHalf.Single(p => p.Law == "tissue").Priors);
        var evidence = CrossData.Run(runs, horizon, ["tissue", "convex"], rule: HyperLaws.Fitting.IdentificationRule.Evidence);
        var tissue = evidence.FirstHalf.Single(p => p.Law == "tissue");
        Assert.NotNull(tissue.Evidence);
        Assert.Equal(tissue.Evidence!.StartsWith("prior:", StringComparison.Ordinal), tissue.Priors.Count > 0);
        Assert.True(tissue.Predicted > 0);
        Assert.Null(evidence.FirstHalf.Single(p => p.Law == "convex").Evidence);             // no decay term: the rule does not decide
        var select = evidence.FirstHalf.Single(p => p.Law == CrossData.Select);
        Assert.Equal(evidence.FirstHalf.Single(p => p.Law == select.Chosen).Evidence, select.Evidence);
    }
}
