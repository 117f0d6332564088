using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Planning;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// plan's warning when its peak is likely to diverge (<see cref="PlanHandler.WithDivergenceRisk"/>): the audit's 124M plan on
/// modded-nanogpt's runs had p = 0.49 at its peak, without a word. The peak is never changed.
/// </summary>
public sealed class PlanDivergenceRiskTests
{
    private static TrainingPlan Plan(double probability) =>
        new(new PlanRequest(1.24e8, 3e9, TrainingOptimizer.AdamW), null!, "optlaw",
            new PlannedSchedule(LrSchedule.Parse("wsd(peak=0.0163,steps=20000,warmup=20,cooldown=0.2)"), 3.2, double.NaN, double.NaN, false, probability), [], [], [], [], null!);

    [Fact]
    public void A_peak_at_or_above_the_stated_probability_is_warned_and_kept()
    {
        var plan = PlanHandler.WithDivergenceRisk(Plan(0.49));
        var w = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.DivergenceRisk);
        Assert.Equal(0.49, w.Q("probability"));
        Assert.Equal(PlanHandler.DivergenceRisk, w.Q("threshold"));
        Assert.Equal(0.0163, w.Q("peak"), 12);
        Assert.StartsWith("the plan's peak 0.0163 has a divergence probability of 0.49", PlanOutput.Text(w), StringComparison.Ordinal);
        Assert.Equal(0.0163, ((WarmupSchedule)plan.Best.Schedule).Peak, 12);
        Assert.Single(PlanHandler.WithDivergenceRisk(plan).Warnings);
        // The hint (the CLI's, not the core's sentence) names the sweep.
        Assert.EndsWith("; a lower peak or runs around it (`hyperlaws sweep`) would settle it", PlanOutput.Text(w), StringComparison.Ordinal);
        Assert.DoesNotContain("hyperlaws", HyperLaws.Planning.PlanExplainer.Warning(w), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_that_diverges_even_at_the_lowest_peak_is_not_warned_twice()
    {
        var plan = Plan(0.9) with { Warnings = [new PlanWarning(WarningKind.AllDiverge) { Quantities = new Dictionary<string, double> { ["peak"] = 1e-4 } }] };
        Assert.Equal(WarningKind.AllDiverge, Assert.Single(PlanHandler.WithDivergenceRisk(plan).Warnings).Kind);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(double.NaN)]
    public void A_lower_or_unknown_probability_is_not_warned(double probability) =>
        Assert.Empty(PlanHandler.WithDivergenceRisk(Plan(probability)).Warnings);

    [Theory]
    [InlineData(0.15, 0.1, true)]
    [InlineData(0.2, 0.25, false)]
    [InlineData(0.1, 0.1, true)]
    public void The_warning_reads_the_users_level(double probability, double level, bool warned)
    {
        // plan --divergence-risk Q passes Q here (PlanHandler.Make): a peak at or above Q is warned, one under it is not, whatever the stated level.
        var plan = PlanHandler.WithDivergenceRisk(Plan(probability), level);
        Assert.Equal(warned, plan.Warnings.Any(w => w.Kind == WarningKind.DivergenceRisk));
        if (warned) Assert.Equal(level, Assert.Single(plan.Warnings).Q("threshold"));
    }

    [Fact]
    public void A_small_level_and_probability_print_as_themselves_not_as_zero()
    {
        // --divergence-risk 0.001: the warning and the guard's reason say 0.001, not "0" (two decimals would round it away).
        var w = Assert.Single(PlanHandler.WithDivergenceRisk(Plan(0.0015), 0.001).Warnings);
        Assert.Contains("a divergence probability of 0.0015 (at or above 0.001)", PlanOutput.Text(w), StringComparison.Ordinal);
        var reason = new PlanReason(ReasonKind.Divergence, "test")
        {
            Quantities = new Dictionary<string, double> { ["etaL"] = 1e-3, ["peak"] = 1e-4, ["probability"] = 4e-4, ["diverges"] = 0, ["safePeak"] = 2e-4, ["risk"] = 0.001 },
        };
        Assert.Contains("under the guard's risk level 0.001", PlanExplainer.Reason(reason).Text, StringComparison.Ordinal);
        var held = reason with { Quantities = new Dictionary<string, double>(reason.Quantities) { ["diverges"] = 1 } };
        Assert.Contains("at or above the guard's risk level 0.001, so held", PlanExplainer.Reason(held).Text, StringComparison.Ordinal);
    }
}
