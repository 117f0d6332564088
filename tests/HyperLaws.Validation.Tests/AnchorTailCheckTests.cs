using System.Globalization;
using HyperLaws.Planning;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary><see cref="AnchorTailCheck"/>: the measurement of docs/VALIDATION.md "The plan's anchor without a final evaluation" hides each run's final evaluation.</summary>
public sealed class AnchorTailCheckTests
{
    private static TrainingRun Run(int steps, IEnumerable<LossObservation> points, IReadOnlyDictionary<string, string> tags) =>
        new(new RunMetadata("r") { Tags = tags }, Enumerable.Repeat(1e-3, steps).ToArray(), [.. points]);

    [Fact]
    public void The_measurement_hides_the_final_evaluation_and_its_line_is_least_squares()
    {
        var tags = new Dictionary<string, string> { ["finalValLoss"] = "3.1", ["finalValStep"] = "1000", ["other"] = "x" };
        var run = Run(1000, [new(900, 3.3), new(1000, 3.25), new(800, 3.4, LossSplit.Validation), new(1000, 3.2, LossSplit.Validation)], tags);
        Assert.Equal(3.1, AnchorTailCheck.FinalEvaluation(run));
        var val = AnchorTailCheck.Hide(run, LossSplit.Validation);
        Assert.Equal([new LossObservation(800, 3.4, LossSplit.Validation)], val.Observations);
        Assert.Equal(["other"], val.Metadata.Tags.Keys);
        Assert.True(double.IsNaN(AnchorTailCheck.FinalEvaluation(val)));
        Assert.Equal([900, 1000], AnchorTailCheck.Hide(run, LossSplit.Train).Observations.Select(o => o.Step));
        // Without the tag, a validation loss at the last step is the final evaluation.
        Assert.Equal(3.2, AnchorTailCheck.FinalEvaluation(run with { Metadata = run.Metadata with { Tags = new Dictionary<string, string>() } }));
        // The line through (1, 2), (2, 4), (3, 6) read at 10, and one point read as itself.
        Assert.Equal(20, AnchorTailCheck.Line([new(1, 2), new(2, 4), new(3, 6)], 10), 12);
        Assert.Equal(3.3, AnchorTailCheck.Line([new(900, 3.3)], 1000));
    }

    /// <summary>
    /// A 5M run of <paramref name="steps"/> steps at <paramref name="lr"/> (WSD with a 20% linear cooldown, or constant), its validation
    /// curve drawn by the LR-annealing law every 10 steps up to and including its last step, without a final-val tag.
    /// </summary>
    private static TrainingRun Grid(double lr, int steps, bool constant = false)
    {
        var lrs = new double[steps];
        int hold = steps - (int)Math.Round(0.2 * steps);
        for (int k = 0; k < steps; k++) lrs[k] = lr * (!constant && k >= hold ? 1 - (k - hold + 1.0) / (steps - hold) : 1);
        int[] at = [.. Enumerable.Range(1, steps / 10).Select(i => 10 * i)];
        var curve = new double[at.Length];
        new HyperLaws.Laws.AnnealingLaw().Predict([2.9, 0.6, 0.45, 2], new HyperLaws.Laws.ScheduleHistory(lrs), at, curve);
        var tags = new Dictionary<string, string>
        {
            ["lr"] = lr.ToString("R", CultureInfo.InvariantCulture), ["scheduler"] = "wsd", ["cooldownFraction"] = constant ? "0" : "0.2", ["decayType"] = "linear",
        };
        string name = FormattableString.Invariant($"{(constant ? "constant" : "wsd")}-{lr}-{steps}");
        return new TrainingRun(new RunMetadata(name) { Tags = tags, TokensPerStep = 1024, Parameters = 5e6 }, lrs,
            [.. at.Select((step, i) => new LossObservation(step, curve[i], LossSplit.Validation))]);
    }

    /// <summary>A val-fitted tissue plan of 200 steps from WSD runs of 50 and 100 steps at two LRs.</summary>
    private static TrainingPlan ValPlan() => Planner.Make(
        new PlanRequest(5e6, 200 * 1024, TrainingOptimizer.AdamW) { SequenceLength = 512, BatchTokens = 1024, RunnerUps = 0 },
        [Grid(1e-3, 50), Grid(1e-3, 100), Grid(2e-3, 50), Grid(2e-3, 100)],
        new PlanOptions { Laws = ["tissue"], FitOn = LossSplit.Validation });

    [Fact]
    public void The_measurement_skips_a_cut_run_whose_validation_point_at_the_cut_is_no_final_evaluation()
    {
        var plan = ValPlan();
        var whole = Grid(1e-3, 100);
        var cut = PlanBacktest.Truncate(Grid(1e-3, 200, constant: true), 100);
        // The cut run keeps its validation point at step 100, which reads as a final evaluation; it is skipped by its tag.
        Assert.Equal(100, cut.Final(LossSplit.Validation)!.Value.Step);
        Assert.True(double.IsFinite(AnchorTailCheck.FinalEvaluation(cut)));
        Assert.Equal([whole.Name], AnchorTailCheck.Of(plan, [whole, cut], LossSplit.Validation, null).Select(p => p.Run));
    }

    [Fact]
    public void The_measurement_scores_the_point_before_the_end_and_the_tail_estimate_of_the_hidden_run()
    {
        var plan = ValPlan();
        var runs = new[] { Grid(1e-3, 100), Grid(2e-3, 100) };
        var points = AnchorTailCheck.Of(plan, runs, LossSplit.Validation, null);
        Assert.Equal(runs.Select(r => r.Name), points.Select(p => p.Run));
        foreach (var (run, p) in runs.Zip(points))
        {
            var val = run.Split(LossSplit.Validation).ToList();
            Assert.Equal(100, val[^1].Step);
            Assert.Equal(val[^1].Loss, p.Final);
            // E0 is the point before S (step 90), and E1 the tail estimate of the run with its point at S hidden.
            Assert.Equal(val[^2].Loss, p.LastLogged);
            var hidden = AnchorTailCheck.Hide(run, LossSplit.Validation);
            double tail = AnchoredLoss.TailEstimate(hidden, LossSplit.Validation, s => Planner.LawOnRun(plan.Model!, plan.Target!, hidden, s, null));
            Assert.True(double.IsFinite(tail));
            Assert.Equal(tail, p.Tail);
            Assert.Equal(AnchoredLoss.TailPoints(hidden, LossSplit.Validation).Count, p.Points);
        }
    }
}
