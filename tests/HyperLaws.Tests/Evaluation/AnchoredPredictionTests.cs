using HyperLaws.Evaluation;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// <see cref="AnchoredPrediction"/>: the shared prefix of two schedules, and the level r = mean (observed - law) over the last K = 5
/// observations at or before the end of the observed part (0 with fewer).
/// </summary>
public sealed class AnchoredPredictionTests
{
    [Fact]
    public void The_shared_prefix_ends_at_the_first_step_where_the_schedules_differ()
    {
        double[] constant = [0.1, 0.5, 1, 1, 1, 1];
        Assert.Equal(4, AnchoredPrediction.SharedPrefix(constant, [0.1, 0.5, 1, 1, 0.5, 0]));
        Assert.Equal(6, AnchoredPrediction.SharedPrefix(constant, constant));
        Assert.Equal(3, AnchoredPrediction.SharedPrefix(constant, [0.1, 0.5, 1]));      // a shorter run: all of it
        Assert.Equal(0, AnchoredPrediction.SharedPrefix(constant, [0.2, 0.5, 1]));
        Assert.Equal(6, AnchoredPrediction.SharedPrefix(constant, [0.1 * (1 + 1e-12), 0.5, 1, 1, 1, 1])); // rounding, not a schedule
    }

    [Fact]
    public void The_level_is_the_mean_residual_of_the_last_five_observations_at_or_before_the_end()
    {
        int[] steps = [100, 200, 300, 400, 500, 600, 700, 800];
        double[] law = [3.0, 2.9, 2.8, 2.7, 2.6, 2.5, 2.4, 2.3];
        double[] residual = [0.5, 0.01, 0.02, 0.03, 0.04, 0.05, -0.3, -0.3];
        double[] observed = [.. law.Zip(residual, (a, b) => a + b)];
        // Until 650: steps 200..600 (the first point and those after 650 do not count).
        Assert.Equal(0.03, AnchoredPrediction.Residual(steps, observed, law, 650), 12);
        Assert.Equal(0.03, AnchoredPrediction.Residual(steps, observed, law, 600), 12);
        // Until 800: steps 400..800.
        Assert.Equal((0.03 + 0.04 + 0.05 - 0.3 - 0.3) / 5, AnchoredPrediction.Residual(steps, observed, law, 800), 12);
        // Fewer than five observed points: no anchor, the law's own prediction.
        Assert.Equal(0, AnchoredPrediction.Residual(steps, observed, law, 499));
        Assert.Equal(0, AnchoredPrediction.Residual([], [], [], 1000));
        // A non-finite law value among them: no anchor.
        double[] broken = [.. law];
        broken[5] = double.NaN;
        Assert.Equal(0, AnchoredPrediction.Residual(steps, observed, broken, 650));
        Assert.Throws<ArgumentException>(() => AnchoredPrediction.Residual(steps, observed, law[..7], 650));
    }
}
