using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using HyperLaws.Tests.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The planner's size law (docs/VALIDATION.md, "(b) Protocol 2 with beta = 0.203": the declared rule made protocol 17c's fitted exponent
/// the planner's): a plan at a size none of the runs has fits its law across the runs' sizes with one shared shape and the offset's
/// exponent <see cref="SizeLawSpec.PlannerExponent"/>, not Chinchilla's 0.34.
/// </summary>
public sealed class PlannerSizeExponentTests
{
    /// <summary>Three shipped MPL runs of one size (constant and cosine to 24k steps, constant to 72k: a held-out longest run), labelled with that size.</summary>
    internal static IEnumerable<TrainingRun> Runs(string label, double size) =>
        MultiPowerLawLrTests.Files.Select(row => row.Data).Where(d => d.Item1 is "constant_24000.csv" or "cosine_24000.csv" or "constant_72000.csv").Select(d =>
        {
            var (file, spec) = d;
            var points = File.ReadAllLines(TestData.File("MultiPowerLaw", "loss_curve_repo", "csv_" + label, file)).Skip(1)
                .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(','))
                .Select(c => new LossObservation(int.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[2], CultureInfo.InvariantCulture))).ToList();
            return new TrainingRun(new RunMetadata($"{file}@{label}M") { Parameters = size }, LrSchedule.Parse(spec).Evaluate(), points);
        });

    [Fact]
    public void A_plan_across_sizes_fits_a_shared_size_law_with_the_planner_exponent()
    {
        var runs = Runs("25", 25e6).Concat(Runs("100", 1e8)).ToList();
        var plan = Planner.Make(new PlanRequest(4e8, 4e8 * 20, TrainingOptimizer.AdamW), runs, new PlanOptions { Laws = ["tissue"], Calibrate = false });
        var sized = Assert.IsType<SizedLaw>(plan.Fit!.Law);
        Assert.Equal(SizeScaling.Shared, sized.Spec.Scaling);
        Assert.Equal(SizeLawSpec.PlannerExponent, sized.Spec.OffsetExponent);
        Assert.Equal(0.203, sized.OffsetExponent(plan.Fit.Parameters));
        Assert.Equal(4e8, plan.FitModelSize);
    }
}
