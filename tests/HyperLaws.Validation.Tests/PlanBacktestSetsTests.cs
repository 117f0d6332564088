using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 17p (<see cref="PlanBacktestSets"/>) on two tiny synthetic sets: its rule for "the plan's schedule was run"
/// (<see cref="PlanBacktest.IsNear"/>), <see cref="PlanBacktest.Nearest"/>'s fallbacks where a horizon has neither the family nor a
/// linear WSD run, the configurations with three horizons, the baseline, the two-stage WSD runs of the extensions, and one whole
/// backtest with one law.
/// </summary>
public sealed class PlanBacktestSetsTests
{
    /// <summary>L0, A, alpha, C of the LR-annealing law that draws every validation curve (as <see cref="PlanBacktestTests"/>').</summary>
    private static readonly double[] Curve = [2.9, 0.6, 0.45, 2];

    private static double Loss(int horizon, double lr, string kind) => 3 + 100.0 / horizon + 0.05 * Math.Abs(Math.Log(lr / 2e-3)) + (kind == "cos" ? 0.02 : kind == "wsd" ? 0 : 0.1);

    private static GridRun Run(double lr, int steps, string kind, bool finalVal = true, string scheduler = "")
    {
        var lrs = new double[steps];
        int hold = steps - (int)Math.Round(0.2 * steps);
        for (int k = 0; k < steps; k++)
            lrs[k] = lr * (kind == "cos" ? 0.1 + 0.45 * (1 + Math.Cos(Math.PI * k / (steps - 1.0))) : kind != "constant" && k >= hold ? 1 - (k - hold + 1.0) / (steps - hold) : 1);
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var tags = new Dictionary<string, string> { ["lr"] = F(lr), ["scheduler"] = scheduler.Length > 0 ? scheduler : kind == "constant" ? "wsd" : kind };
        if (finalVal)
        {
            tags["finalValLoss"] = F(Loss(steps, lr, kind));
            tags["finalValStep"] = F(steps);
        }
        if (tags["scheduler"] == "wsd")
        {
            tags["cooldownFraction"] = kind == "constant" ? "0" : "0.2";
            tags["decayType"] = "linear";
        }
        int[] at = [.. Enumerable.Range(1, steps / 10).Select(i => 10 * i)];
        var curve = new double[at.Length];
        new HyperLaws.Laws.AnnealingLaw().Predict(Curve, new HyperLaws.Laws.ScheduleHistory(lrs), at, curve);
        var obs = at.Select((step, i) => new LossObservation(step, curve[i], LossSplit.Validation)).ToList();
        string name = FormattableString.Invariant($"{kind}-{lr}-{steps}{(scheduler.Length > 0 ? "-" + scheduler : "")}");
        return GridRun.From(new TrainingRun(new RunMetadata(name) { Tags = tags, TokensPerStep = 1024, Parameters = 5e6 }, lrs, obs));
    }

    /// <summary>
    /// Set "a": cosines at 2e-3 over 50, 100, 200 steps (a configuration of three horizons), WSD 20% at 1e-3 over 50, 100 and 200 steps, the
    /// last without a final-val, and a constant run at 1e-3 over 200 (cut to 100 for the plans). Set "b": two horizons only.
    /// </summary>
    private static List<(string Set, GridRun Run)> Sets() =>
    [
        ("a", Run(2e-3, 50, "cos")), ("a", Run(2e-3, 100, "cos")), ("a", Run(2e-3, 200, "cos")),
        ("a", Run(1e-3, 50, "wsd")), ("a", Run(1e-3, 100, "wsd")), ("a", Run(1e-3, 200, "constant")), ("a", Run(1e-3, 200, "wsd", finalVal: false)),
        ("b", Run(2e-3, 50, "cos")), ("b", Run(2e-3, 100, "cos")),
    ];

    [Fact]
    public void A_schedule_was_run_when_family_peak_and_shape_are_near()
    {
        var wsd = Run(1e-3, 100, "wsd");
        var cos = Run(2e-3, 100, "cos");
        Assert.True(PlanBacktest.IsNear(new PlanChoice("wsd", 1e-3, 5, 0.3, 0), wsd));
        Assert.True(PlanBacktest.IsNear(new PlanChoice("wsd", 1e-3 * Math.Sqrt(2), 5, 0.2, 0), wsd)); // the peak's bound is inclusive
        Assert.False(PlanBacktest.IsNear(new PlanChoice("wsd", 1.5e-3, 5, 0.2, 0), wsd));
        Assert.False(PlanBacktest.IsNear(new PlanChoice("wsd", 1e-3, 5, 0.5, 0), wsd));
        Assert.False(PlanBacktest.IsNear(new PlanChoice("linear", 1e-3, 5, null, 0), wsd)); // a cooldown of 100% against 20%
        Assert.False(PlanBacktest.IsNear(new PlanChoice("cosine", 1e-3, 5, null, 0.1), wsd));
        Assert.True(PlanBacktest.IsNear(new PlanChoice("cosine", 2e-3, 5, null, 0.1), cos));
        // The synthetic cosine ends at 10% of its peak: a cosine to 0 is within 0.1.
        Assert.True(PlanBacktest.IsNear(new PlanChoice("cosine", 2e-3, 5, null, 0), cos));
        Assert.False(PlanBacktest.IsNear(new PlanChoice("constant", 2e-3, 5, null, 1), cos));
        Assert.True(PlanBacktest.IsNear(new PlanChoice("constant", 1e-3, 5, null, 1), Run(1e-3, 200, "constant")));
    }

    [Fact]
    public void Nearest_falls_back_to_the_cosine_then_the_constant_runs()
    {
        var cosAndConstant = new List<GridRun> { Run(2e-3, 200, "cos"), Run(1e-3, 200, "constant") };
        var m = PlanBacktest.Nearest(new PlanChoice("wsd", 1e-3, 5, 0.2, 0), cosAndConstant);
        Assert.Equal("cosine", m.Run.Family);
        Assert.Contains(m.Notes, n => n.Contains("mapped to the cosine runs", StringComparison.Ordinal));
        Assert.Equal("constant", PlanBacktest.Nearest(new PlanChoice("constant", 1e-3, 5, null, 1), cosAndConstant).Run.Family);
        var constantOnly = new List<GridRun> { Run(1e-3, 200, "constant") };
        var c = PlanBacktest.Nearest(new PlanChoice("cosine", 1e-3, 5, null, 0), constantOnly);
        Assert.Contains(c.Notes, n => n.Contains("mapped to the constant runs", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => PlanBacktest.Nearest(new PlanChoice("wsd", 1e-3, 5, 0.2, 0), [Run(1e-3, 200, "wsd2", scheduler: "wsd_twostage")]));
    }

    [Fact]
    public void The_two_stage_drop_is_its_own_family()
    {
        var r = Run(1e-3, 100, "wsd2", scheduler: "wsd_twostage");
        Assert.Equal(("wsd-twostage", "wsd-twostage", false), (r.Family, r.Label, r.IsLinearCooldown));
    }

    [Fact]
    public void Configurations_baselines_and_candidates()
    {
        var sets = Sets();
        var a = sets.Where(s => s.Set == "a").Select(s => s.Run).ToList();
        // The WSD runs count three horizons though the 200-step one has no final-val (as the sp-210m cosines): a configuration without a target.
        Assert.Equal([("cosine-10%", 2e-3, 200), ("wsd-linear-0.2", 1e-3, 200)], PlanBacktestSets.Configurations(a));
        Assert.Empty(PlanBacktestSets.Configurations(sets.Where(s => s.Set == "b").Select(s => s.Run)));

        var atH = a.Where(r => r.Horizon == 200 && PlanBacktestSets.IsCandidate(r)).ToList();
        Assert.Equal(2, atH.Count); // the WSD run without a final-val is not a candidate
        double best = atH.Min(r => r.FinalLoss);
        // At 100 steps the cosine at 2e-3 beats the WSD run at 1e-3; rerun at 200 steps.
        var baselines = PlanBacktestSets.Baselines(a, atH, 200, best);
        Assert.Equal("cos-0.002-200", baselines[0].Run!.Name);
        Assert.Contains("at 100 steps", baselines[0].Rule, StringComparison.Ordinal);
        Assert.Equal(Loss(200, 2e-3, "cos") / best - 1, baselines[0].Regret, 12);
        Assert.Equal(PlanBacktest.Median(atH.Select(r => r.FinalLoss)) / best - 1, baselines[1].Regret, 12);
        // Without that cosine among the candidates at H, the rerun was not run.
        var noCosine = atH.Where(r => r.Family != "cosine").ToList();
        var notRun = PlanBacktestSets.Baselines(a, noCosine, 200, noCosine.Min(r => r.FinalLoss))[0];
        Assert.Null(notRun.Run);
        Assert.Contains("not run at H", notRun.Rule, StringComparison.Ordinal);
        Assert.True(double.IsNaN(notRun.Regret));
        var fewer = a.Where(r => !(r.Family == "wsd" && r.Horizon == 100)).ToList();
        var rerun = PlanBacktestSets.Baselines(fewer, atH, 200, best)[0];
        Assert.Contains("at 50 steps", rerun.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_is_planned_from_its_own_shorter_runs()
    {
        var options = new PlanBacktestOptions { Laws = ["tissue"], FitOn = [LossSplit.Validation] };
        var result = PlanBacktestSets.Run(Sets(), options);
        Assert.Contains(result.Skipped, s => s.StartsWith("b:", StringComparison.Ordinal));
        var set = Assert.Single(result.Sets);
        Assert.Equal(("a", 5e6, 1024.0, 200), (set.Set, set.Parameters, set.BatchTokens, set.Backtest.Horizon));
        // Four shorter runs and the constant run cut to 100 steps; the runs of set b are not learned from.
        Assert.Equal(100, set.Backtest.LearnedFrom);
        Assert.Equal(5, set.Backtest.Available.Count);
        Assert.Contains("constant-0.001-200@100", set.Backtest.Available);
        Assert.Equal(["cos-0.002-200", "wsd-linear-0.2 @ 0.001: no final-val at 200"], set.HeldOut);
        Assert.Equal(2, set.Candidates.Count);
        Assert.Single(set.NotCandidates);
        var c = Assert.Single(set.Backtest.Cases);
        Assert.Equal(200, c.Horizon);
        Assert.Equal(set.Candidates.Select(r => r.Name).Order(StringComparer.Ordinal), c.LawOnRuns.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(c.LawOnGrid, c.LawOnRuns[c.Match.Run.Name]);
        var summary = PlanBacktestSummary.Of(result.Sets);
        Assert.Equal(1, summary.Plans);
        Assert.Equal(PlanBacktest.IsNear(c.Choice, c.Match.Run) ? 1 : 0, summary.Run);
        Assert.Equal(1, summary.HeldOutPredictions);
        var heldOut = set.Candidates.Single(r => r.Name == "cos-0.002-200");
        Assert.Equal(Math.Abs(c.LawOnRuns[heldOut.Name] / heldOut.FinalLoss - 1), summary.LawMeanAbsError, 12);
    }
}
