using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>plan</c> on real runs where no law fitted freely is physical (the foreign cells of benchmarks/foreign-usage: fairseq's 13B
/// FSDP JSON logs of ten updates, llm.c's resumed JSONL, the stanford_alpaca HF Trainer state, whose plan <see cref="LossPlausibilityCommandTests"/> checks with <see cref="Check"/>): the plan prints no loss that is not
/// physical (a loss it gives is positive, and trusted unless flagged, e.g. a law kept with a negative floor; otherwise plan.json's loss
/// is null with a "withheld" warning and the text says it cannot be predicted), and every law of the default <c>--laws optlaw,mpl,tissue</c> that is not the plan's own free fit is named
/// in a <c>LawPassedOver</c> warning with its reason (docs/VALIDATION.md, "A physically bounded fallback ...").
/// </summary>
public sealed class PlanPhysicalFallbackTests
{
    private static string Data(string folder, string file) => Path.Combine(AppContext.BaseDirectory, "TestData", folder, file);

    private static readonly string[] DefaultLaws = ["optlaw", "mpl", "tissue"];

    /// <summary>The checks on one plan.json.</summary>
    internal static void Check(JsonObject plan)
    {
        var warnings = plan["warnings"]!.AsArray().Select(w => w!.AsObject()).ToList();
        static string Label(JsonObject w, int i) => (string)w["labels"]![i]!;
        bool withheld = warnings.Any(w => (string)w["kind"]! == "LossNotPhysical" && Label(w, 0) == "withheld");
        var loss = plan["best"]!["predictedLoss"];
        if (withheld)
        {
            Assert.Null(loss);
            Assert.All(plan["runnerUps"]!.AsArray(), r => Assert.Null(r!["predictedLoss"]));
        }
        else
        {
            Assert.True(loss!.GetValue<double>() > 0);
        }
        // Trusted exactly when no LossNotPhysical warning is given (a law kept with a negative floor, "floor", is printed, not trusted).
        Assert.Equal(!warnings.Any(w => (string)w["kind"]! == "LossNotPhysical"), plan["lossTrusted"]!.GetValue<bool>());
        // The plan's law, when fitted freely (no FloorBounded warning), is not passed over; every other default law is, with a reason.
        bool bounded = warnings.Any(w => (string)w["kind"]! == "FloorBounded");
        var passed = warnings.Where(w => (string)w["kind"]! == "LawPassedOver" && w["quantities"]!["bounded"]!.GetValue<double>() == 0).ToList();
        Assert.All(passed, w => Assert.Contains(Label(w, 2), new[] { "floor", "target" }));
        var named = passed.Select(w => Label(w, 0)).ToList();
        Assert.Equal(named.Distinct().Count(), named.Count);
        // A bounded floor (kept, or tried and withheld) is reached only when every law fitted freely was passed over: all are named.
        // A law kept as fitted is not passed over; those tried before it are.
        if (bounded) Assert.Equal(DefaultLaws.Order(), named.Order());
        else Assert.DoesNotContain((string)plan["law"]!, named);
        Assert.All(named, l => Assert.Contains(l, DefaultLaws));
    }

    [Theory]
    [InlineData("fairseq_log", "fsdp_13b_8gpu.log,fsdp_13b_1gpu.log", "13B", "300B")]
    [InlineData("resumed_jsonl", "llmc_resumed.jsonl", "124M", "10B")]
    public void The_plan_prints_no_loss_that_is_not_physical_and_names_every_law_passed_over(string folder, string files, string parameters, string tokens)
    {
        string[] args = ["plan", .. files.Split(',').SelectMany(f => new[] { "--runs", Data(folder, f) }), "--params", parameters, "--tokens", tokens,
            "--optimizer", "adamw", "--json"];
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var plan = JsonNode.Parse(r.Stdout)!.AsObject();
        Check(plan);
        Assert.Equal(plan["best"]!["predictedLoss"] is null ? null : plan["best"]!["predictedLoss"]!.GetValue<double>(), PlanDocument.Parse(r.Stdout).PredictedLoss);
    }
}
