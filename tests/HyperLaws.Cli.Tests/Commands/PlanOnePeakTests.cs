using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>plan</c> on a run of one peak LR whose LR-axis prior's joint fit is not physical at the target: fairseq's MoE LM JSON log (one
/// run, 30 steps of warmup at 2e-5, benchmarks/foreign-usage's fairseq-moe cell, planned at 1B parameters and 50B tokens). The joint
/// fit carried to 2,328 steps of 21.5M tokens gives no plausible loss on the prior's reference schedule, and its move in LR was hundreds
/// of nats per unit of ln LR (the plan withheld its loss): the plan now leaves the prior's axis out, says why, and prints the schedule
/// law's physical loss; exit 0 (docs/VALIDATION.md, "Plans from runs at one peak LR ..."). One plan, every assertion on it.
/// </summary>
public sealed class PlanOnePeakTests
{
    private static string Data(string folder, string file) => Path.Combine(AppContext.BaseDirectory, "TestData", folder, file);

    [Fact]
    public void A_plan_from_one_peak_whose_prior_fit_is_not_physical_plans_without_its_axis_and_prints_a_physical_loss()
    {
        var r = Cli.Run("plan", "--runs", Data("fairseq_log", "moe_lm_8xV100.log"), "--params", "1B", "--tokens", "50B", "--optimizer", "adamw",
            "--laws", "optlaw", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var plan = r.Json();
        var warnings = plan["warnings"]!.AsArray().Select(w => w!.AsObject()).ToList();
        double Q(JsonObject w, string name) => w["quantities"]![name] is JsonValue v ? v.GetValue<double>() : double.NaN;
        // Said, with the joint fit's loss outside the plausible range of the run's logged losses (11.07..14.19: 5.53..28.38).
        var prior = Assert.Single(warnings, w => (string)w["kind"]! == "LrAxisPriorNotPhysical");
        double reference = Q(prior, "referenceLoss"), floor = Q(prior, "floor"), ceiling = Q(prior, "ceiling");
        Assert.True(floor > 5 && ceiling > floor, $"{floor}..{ceiling}");
        Assert.False(reference >= floor && reference <= ceiling, $"the joint fit's loss {reference} is plausible");
        Assert.DoesNotContain(warnings, w => (string)w["kind"]! is "LrAxisFromPrior" or "LossNotPhysical");
        Assert.DoesNotContain(plan["reasons"]!.AsArray(), x => (string)x!["kind"]! == "LrAxisPrior");
        // The loss printed is physical and trusted; the peak held to what the run supports, carried to the target.
        double loss = plan["best"]!["predictedLoss"]!.GetValue<double>();
        Assert.InRange(loss, floor, ceiling);
        Assert.True(plan["lossTrusted"]!.GetValue<bool>());
        PlanPhysicalFallbackTests.Check(plan);
        Assert.Contains("LR-axis prior's joint fit on them is not physical", (string)prior["text"]!, StringComparison.Ordinal);
    }
}
