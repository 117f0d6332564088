using System.Globalization;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using HyperLaws.Tests.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>Plans on runs of one peak LR with the shipped LR-axis prior: the peak is the law's interior optimum.</summary>
public sealed class LrAxisPlanTests
{
    internal static readonly LrAxisPrior Shipped = LrAxisPriorDocument.Parse(File.ReadAllText(Path.Combine(DataFolders.Repo, "priors", "lr-axis-steplaw.json")));

    /// <summary>The six 25M Multi-Power-Law curves that run their full schedule (one peak LR, 3e-4).</summary>
    internal static List<TrainingRun> Mpl25()
    {
        var runs = new List<TrainingRun>();
        foreach (var row in MultiPowerLawLrTests.Files)
        {
            var (file, spec) = row.Data;
            if (file.StartsWith("wsdcon", StringComparison.Ordinal)) continue;
            var points = File.ReadAllLines(TestData.File("MultiPowerLaw", "loss_curve_repo", "csv_25", file)).Skip(1)
                .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(','))
                .Select(c => new LossObservation(int.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[2], CultureInfo.InvariantCulture))).ToList();
            runs.Add(new TrainingRun(new RunMetadata(file) { Parameters = 25e6 }, LrSchedule.Parse(spec).Evaluate(), points));
        }
        return runs;
    }

    /// <summary>The plan of the 25M curves at 10x their budget with <paramref name="law"/> and the shipped prior (no calibration).</summary>
    private static TrainingPlan WithPrior(string law) =>
        Planner.Make(new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW), Mpl25(),
            new PlanOptions { Laws = [law], Calibrate = false, LrPrior = Shipped, LrPriorSource = "shipped" });

    /// <summary>
    /// The tissue plan with the prior, made once for the two tests that read it (the prior's source is only the reason's label,
    /// <see cref="PlanOptions.LrPriorSource"/>, which the combined-law test does not read).
    /// </summary>
    private static readonly Lazy<TrainingPlan> TissueWithPrior = new(() => WithPrior("tissue"));

    [Theory]
    [InlineData("tissue")]
    [InlineData("joint")]
    public void On_the_shipped_single_LR_curves_the_peak_is_the_laws_interior_optimum_with_the_prior_stated(string law)
    {
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var plan = law == "tissue" ? TissueWithPrior.Value : WithPrior(law);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(AxisBound.Interior, peak.Bound);
        Assert.Null(peak.Guard);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded);
        Assert.Equal(peak.Optimum, peak.Chosen, 12);
        var support = plan.Model!.Support(plan.Target!);
        Assert.InRange(peak.Chosen, support.Low, support.High);
        Assert.True(peak.Lower < peak.Chosen && peak.Chosen < peak.Upper, $"interval {peak.Lower}..{peak.Upper} around {peak.Chosen}");
        var reason = plan.Reasons.Single(r => r.Kind == ReasonKind.LrAxisPrior);
        Assert.Equal(Shipped.Ratio, reason.Q("ratio"));
        Assert.Equal(3e-4, reason.Q("runsPeak"), 12);
        Assert.Equal(Shipped.Ratio * LrAxisPrior.ReferenceLr(request.Parameters, request.Tokens), reason.Chosen, 9);
        Assert.Equal(law == "joint" ? 0 : 1, reason.Q("combined"));
        Assert.Contains("x* = ", PlanExplainer.Reason(reason).Text, StringComparison.Ordinal);
        Assert.Contains(plan.Warnings, w => w.Kind == WarningKind.LrAxisFromPrior);
        if (law == "joint") Assert.IsType<JointPlanLaw>(plan.Model);
        else Assert.IsType<LrAxisPlanLaw>(plan.Model);
    }

    /// <summary>
    /// The tissue plan of the 25M curves at 10x their budget without the prior (no calibration), made once for this class and
    /// <see cref="PlanPointBudgetTests"/>, whose plan within the default point budget it is (same request, runs and options).
    /// </summary>
    internal static readonly Lazy<TrainingPlan> TissueWithoutPrior = new(() =>
        Planner.Make(new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW), Mpl25(), new PlanOptions { Laws = ["tissue"], Calibrate = false }));

    [Fact]
    public void Without_the_prior_the_same_plan_is_held_to_the_runs_LR()
    {
        var plan = TissueWithoutPrior.Value;
        Assert.NotNull(plan.Decision(PlanAxis.PeakLr)!.Guard);
        Assert.DoesNotContain(plan.Reasons, r => r.Kind == ReasonKind.LrAxisPrior);
    }

    [Fact]
    public void The_combined_law_is_the_chosen_law_at_the_reference_peak()
    {
        var plan = TissueWithPrior.Value;
        var combined = Assert.IsType<LrAxisPlanLaw>(plan.Model);
        var target = plan.Target!;
        var at = new CosineSchedule(combined.ReferencePeak, target.Steps, 100, 0);
        var a = new double[1];
        var b = new double[1];
        combined.Predict(at, target, [target.Steps], a);
        combined.TimeShape.Predict(at, target, [target.Steps], b);
        Assert.Equal(b[0], a[0], 9);
    }
}
