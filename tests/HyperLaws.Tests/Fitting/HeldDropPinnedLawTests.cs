using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Laws;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// MPL pinned with its whole drop held (<see cref="HeldDropPinnedLaw"/>, the decay prior's pins): the drop tree walked once per curve,
/// and the same numbers as the pinned law that walks it at every evaluation (<see cref="DifferentiablePinnedLaw"/>), bit for bit:
/// values and free gradient columns on the published runs at random parameters, and whole pinned fits.
/// </summary>
public sealed class HeldDropPinnedLawTests
{
    private static readonly MultiPowerLaw Mpl = new();

    /// <summary>The published 25M runs of protocol 1 (cosine, constant, WSD with a step) and the 100M constant run.</summary>
    private static readonly Lazy<List<FitTarget>> Runs = new(() => [.. SeparableFitterTests.Protocol1("25"), SeparableFitterTests.Protocol1("100")[1]]);

    private static Dictionary<int, double> Pins(double b, double c, double beta, double gamma) => new()
    {
        [MultiPowerLaw.B] = b, [MultiPowerLaw.C] = c, [MultiPowerLaw.Beta] = beta, [MultiPowerLaw.Gamma] = gamma,
    };

    private static void SameBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void The_decay_priors_pins_give_the_held_drop_law_and_other_pins_the_walking_one()
    {
        var prior = DecayPrior.For(Mpl, [Runs.Value[1]]);
        Assert.NotNull(prior);
        Assert.IsType<HeldDropPinnedLaw>(PinnedLaw.Create(Mpl, prior.Value.Pins));
        Assert.IsType<DifferentiablePinnedLaw>(PinnedLaw.Create(Mpl, new Dictionary<int, double> { [MultiPowerLaw.C] = 2.0, [MultiPowerLaw.Gamma] = 0.6 }));
        Assert.IsType<HeldDropPinnedLaw>(PinnedLaw.Create(Mpl, new Dictionary<int, double>(Pins(300, 2, 0.6, 0.6)) { [MultiPowerLaw.Alpha] = 0.4 }));
    }

    [Fact]
    public void Values_and_free_gradient_columns_equal_the_walking_pinned_law_bit_for_bit_at_random_parameters() =>
        ForAll(Gen.Select(Gen.Select(Gen.Double[-3, 4], LogUniform(1e-3, 30), LogUniform(1e-3, 2)),
                          Gen.Select(LogUniform(1, 3000), LogUniform(0.05, 20), LogUniform(0.05, 3), LogUniform(0.05, 3)),
                          Gen.Int[0, 3], Gen.Int[1, 9]),
            sample =>
            {
                var ((l0, a, alpha), (b, c, beta, gamma), run, thin) = sample;
                var pins = Pins(b, c, beta, gamma);
                var held = (HeldDropPinnedLaw)PinnedLaw.Create(Mpl, pins);
                var walking = new DifferentiablePinnedLaw(Mpl, pins, []);
                var target = Runs.Value[run];
                // Every thin-th point (the fitter's coarse stage passes thinned points of the same history).
                int[] steps = [.. target.Steps.Where((_, i) => i % thin == 0)];
                double[] free = [l0, a, alpha];
                int n = steps.Length;
                var (expected, actual) = (new double[n], new double[n]);
                var (expectedGradient, actualGradient) = (new double[n * 3], new double[n * 3]);
                // Twice each: the first call walks the tree and keeps the drop, the second uses the kept one.
                for (int pass = 0; pass < 2; pass++)
                {
                    walking.Predict(free, target.History, steps, expected);
                    held.Predict(free, target.History, steps, actual);
                    SameBits(expected, actual, "value");
                    walking.PredictWithGradient(free, target.History, steps, expected, expectedGradient);
                    held.PredictWithGradient(free, target.History, steps, actual, actualGradient);
                    SameBits(expected, actual, "gradient's value");
                    SameBits(expectedGradient, actualGradient, "gradient");
                }
                Assert.Equal(1, held.DropsMade);
                // Other free parameters on the kept drop, and other steps of the same history (a drop of their own).
                free = [l0 + 0.5, a * 1.5, alpha * 0.7];
                walking.PredictWithGradient(free, target.History, steps, expected, expectedGradient);
                held.PredictWithGradient(free, target.History, steps, actual, actualGradient);
                SameBits(expectedGradient, actualGradient, "gradient at other free parameters");
                int[] fewer = steps[..Math.Max(1, n / 2)];
                walking.Predict(free, target.History, fewer, expected);
                held.Predict(free, target.History, fewer, actual);
                SameBits(expected.AsSpan(0, fewer.Length), actual.AsSpan(0, fewer.Length), "value at other steps");
                Assert.Equal(2, held.DropsMade);
            }, iterations: 25);

    [Fact]
    public void A_prior_held_fit_gives_the_walking_pinned_laws_fit_bit_for_bit()
    {
        // The published constant runs (no decay: the drop held at its prior, the case of llm.c's resumed run), fitted one and both
        // at once, with the default options (the coarse first stage, early rejection, parallel starts).
        List<FitTarget>[] fits = [[Runs.Value[1]], [Runs.Value[1], Runs.Value[3]]];
        foreach (var targets in fits)
        {
            var pins = DecayPrior.For(Mpl, targets)!.Value.Pins;
            var held = PinnedLaw.Create(Mpl, pins);
            Assert.IsType<HeldDropPinnedLaw>(held);
            var expected = LawFitter.Fit(new DifferentiablePinnedLaw(Mpl, pins, []), targets);
            var actual = LawFitter.Fit(held, targets);
            SameBits(expected.Parameters, actual.Parameters, "parameters");
            SameBits([expected.Objective], [actual.Objective], "objective");
            Assert.Equal((expected.Iterations, expected.Evaluations, expected.Converged, expected.StopReason),
                         (actual.Iterations, actual.Evaluations, actual.Converged, actual.StopReason));
            // Each drop is walked at most twice (once per mode), against one walk per evaluation before.
            int drops = ((HeldDropPinnedLaw)held).DropsMade;
            Assert.True(2 * drops * 10 < expected.Evaluations, $"{drops} drops, {expected.Evaluations} evaluations");
        }
    }

    [Fact]
    public void A_kept_drop_is_not_used_for_other_drop_parameters_or_another_history()
    {
        var target = Runs.Value[1];
        var held = (HeldDropPinnedLaw)PinnedLaw.Create(Mpl, Pins(300, 2, 0.6, 0.6));
        var y = new double[target.Steps.Length];
        held.Predict([3, 0.5, 0.5], target.History, target.Steps, y);
        var copy = target.History.Copy();
        held.Predict([3, 0.5, 0.5], copy, target.Steps, y);
        Assert.Equal(2, held.DropsMade);
        var drop = Mpl.HoldDrop([3, 0.5, 0.5, 300, 2, 0.6, 0.6], target.History, target.Steps);
        Assert.True(drop.Holds(Mpl, [9, 9, 9, 300, 2, 0.6, 0.6], target.History, target.Steps));
        Assert.False(drop.Holds(Mpl, [3, 0.5, 0.5, 300, 2, 0.6, 0.61], target.History, target.Steps));
        Assert.False(drop.Holds(Mpl, [3, 0.5, 0.5, 300, 2, 0.6, 0.6], copy, target.Steps));
        Assert.False(drop.Holds(new MultiPowerLaw(), [3, 0.5, 0.5, 300, 2, 0.6, 0.6], target.History, target.Steps));
        Assert.Equal(0, drop.Walks);
        Mpl.PredictHeld([3, 0.5, 0.5, 300, 2, 0.6, 0.6], drop, y, default, gradient: false);
        Mpl.PredictHeld([4, 0.5, 0.5, 300, 2, 0.6, 0.6], drop, y, default, gradient: false);
        Assert.Equal(1, drop.Walks);
        Assert.Throws<ArgumentException>(() => Mpl.PredictHeld([3, 0.5, 0.5, 301, 2, 0.6, 0.6], drop, y, default, gradient: false));
    }

    [Fact]
    public void The_kept_drops_are_capped_by_their_steps_the_oldest_dropped_first()
    {
        var target = Runs.Value[1];
        int n = target.Steps.Length;
        var held = new HeldDropPinnedLaw(Mpl, Pins(300, 2, 0.6, 0.6), []) { MaxPoints = 2 * n + n / 2 };
        Assert.Equal(HeldDropPinnedLaw.DefaultMaxPoints, new HeldDropPinnedLaw(Mpl, Pins(300, 2, 0.6, 0.6), []).MaxPoints);
        var y = new double[n];
        ScheduleHistory[] histories = [target.History, target.History.Copy(), target.History.Copy()];
        foreach (var h in histories) held.Predict([3, 0.5, 0.5], h, target.Steps, y);
        Assert.Equal(3, held.DropsMade);
        Assert.Equal(2 * n, held.PointsKept); // the third would pass the cap: the first was dropped
        held.Predict([3, 0.5, 0.5], histories[2], target.Steps, y);
        held.Predict([3, 0.5, 0.5], histories[1], target.Steps, y);
        Assert.Equal(3, held.DropsMade); // the two kept are reused
        held.Predict([3, 0.5, 0.5], histories[0], target.Steps, y);
        Assert.Equal(4, held.DropsMade); // the dropped one is walked again, dropping the oldest kept
        Assert.Equal(2 * n, held.PointsKept);
        // A drop longer than the cap is kept alone.
        var small = new HeldDropPinnedLaw(Mpl, Pins(300, 2, 0.6, 0.6), []) { MaxPoints = n / 2 };
        small.Predict([3, 0.5, 0.5], histories[0], target.Steps, y);
        small.Predict([3, 0.5, 0.5], histories[1], target.Steps, y);
        Assert.Equal(n, small.PointsKept);
        small.Predict([3, 0.5, 0.5], histories[1], target.Steps, y);
        Assert.Equal(2, small.DropsMade);
    }
}
