using CsCheck;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// <see cref="StepEquivalence"/>: one step at batch B counted as w = (1 + B_noise / B_r) / (1 + B_noise / B) steps at B_r
/// (McCandlish et al. 2018), its limits, monotonicity and composition, and the w-fold stretch of an LR history.
/// </summary>
public sealed class StepEquivalenceTests
{
    private static readonly Gen<double> Batch = Property.LogUniform(1e3, 1e8), Noise = Property.LogUniform(1e2, 1e10);

    [Fact]
    public void The_factor_is_one_at_the_reference_batch_and_tends_to_steps_and_tokens_at_its_limits()
    {
        Property.ForAll(Gen.Select(Batch, Batch, Noise), x =>
        {
            var (b, r, n) = x;
            Assert.Equal(1, StepEquivalence.Factor(r, r, n));
            // B_noise 0: a step is a step; infinite: a token is a token.
            Assert.Equal(1, StepEquivalence.Factor(b, r, 0));
            Assert.Equal(b / r, StepEquivalence.Factor(b, r, double.PositiveInfinity));
            // Far below the batches (1e-9 of the smaller): within 1e-8 of 1; far above (1e9 of the larger): within 1e-8 of B / B_r.
            Property.Near(1, StepEquivalence.Factor(b, r, 1e-9 * Math.Min(b, r)), 1e-8, "far below B_noise");
            Property.Near(b / r, StepEquivalence.Factor(b, r, 1e9 * Math.Max(b, r)), 1e-8, "far above B_noise");
        });
    }

    [Fact]
    public void The_factor_lies_between_steps_and_tokens_and_moves_monotonically_from_one_to_the_other()
    {
        Property.ForAll(Gen.Select(Batch, Batch, Noise, Property.LogUniform(1.01, 100)), x =>
        {
            var (b, r, n, more) = x;
            double w = StepEquivalence.Factor(b, r, n), lo = Math.Min(1, b / r), hi = Math.Max(1, b / r);
            Assert.InRange(w, lo, hi);
            // A larger B_noise moves w towards B / B_r: up for a larger batch than the reference, down for a smaller.
            double wMore = StepEquivalence.Factor(b, r, n * more);
            if (b > r) Assert.True(wMore >= w, $"w {w} -> {wMore} as B_noise grows (B > B_r)");
            if (b < r) Assert.True(wMore <= w, $"w {w} -> {wMore} as B_noise grows (B < B_r)");
            // A larger batch is worth more reference steps, never more than its tokens.
            double wBigger = StepEquivalence.Factor(b * more, r, n);
            Assert.True(wBigger > w, $"w {w} -> {wBigger} as the batch grows");
            Assert.True(wBigger / w <= more * (1 + 1e-12), $"w grew {wBigger / w} for a batch {more}x larger");
        });
    }

    [Fact]
    public void Factors_compose_and_invert()
    {
        Property.ForAll(Gen.Select(Batch, Batch, Batch, Noise), x =>
        {
            var (b1, b2, b3, n) = x;
            Property.Near(StepEquivalence.Factor(b1, b3, n), StepEquivalence.Factor(b1, b2, n) * StepEquivalence.Factor(b2, b3, n), 1e-12, "w13 = w12 w23");
            Property.Near(1, StepEquivalence.Factor(b1, b2, n) * StepEquivalence.Factor(b2, b1, n), 1e-12, "w12 w21 = 1");
        });
    }

    [Fact]
    public void Bad_batches_and_noise_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEquivalence.Factor(0, 1e5, 1e6));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEquivalence.Factor(1e5, double.NaN, 1e6));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEquivalence.Factor(1e5, 2e5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEquivalence.Factor(1e5, 2e5, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => CriticalBatchLaw.Protocol5.BNoise(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEquivalence.Stretch([1e-3], 0));
    }

    [Fact]
    public void Protocol_5s_law_grows_with_the_tokens_and_gives_the_declared_factors()
    {
        var law = CriticalBatchLaw.Protocol5;
        Assert.True(law.BNoise(1e10) > law.BNoise(1e9));
        Property.Near(Math.Pow(10, law.Exponent), law.BNoise(1e10) / law.BNoise(1e9), 1e-12, "B_noise(10 D) / B_noise(D)");
        // docs/VALIDATION.md "Protocol 17c with steps counted by the critical batch": the 360M runs (204,800 tokens per step, 25k-50k steps)
        // counted at 102,400 tokens per step: w = 1.92-1.94; the shipped 400M plan (3.05M tokens per step, 590B tokens) at the runs'
        // assumed 0.82M: w = 3.54.
        Assert.InRange(StepEquivalence.Factor(204800, 102400, 25000 * 204800.0, law), 1.91, 1.925);
        Assert.InRange(StepEquivalence.Factor(204800, 102400, 50000 * 204800.0, law), 1.94, 1.95);
        Assert.InRange(StepEquivalence.Factor(3.05e6, 0.82e6, 590e9, law), 3.5, 3.58);
        Assert.Equal(1, StepEquivalence.Factor(102400, 102400, 1e9, law));
    }

    /// <summary>The history built in place (one array fewer) is the history of Stretch's LRs: every LR and S1 the same double.</summary>
    [Fact]
    public void StretchedHistory_IsTheHistoryOfStretch_BitForBit()
    {
        Property.ForAll(Gen.Select(Gen.Int[1, 2000], Property.LogUniform(0.05, 12), Gen.Int[0, int.MaxValue]), x =>
        {
            var (steps, w, seed) = x;
            var random = new Random(seed);
            var eta = Enumerable.Range(1, steps).Select(_ => random.NextDouble() < 0.1 ? 0 : 1e-3 * random.NextDouble()).ToArray();
            var expected = new ScheduleHistory(StepEquivalence.Stretch(eta, w));
            var actual = StepEquivalence.StretchedHistory(eta, w);
            Assert.Equal(expected.Steps, actual.Steps);
            for (int t = 0; t <= expected.Steps; t++)
            {
                Assert.Equal(expected.Eta(t), actual.Eta(t));
                Assert.Equal(expected.S1(t), actual.S1(t));
            }
        }, iterations: 100);
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEquivalence.StretchedHistory([1e-3], 0));
        Assert.Throws<ArgumentException>(() => StepEquivalence.StretchedHistory([], 2));
    }

    /// <summary>
    /// A history stretched longer than its schedule keeps the schedule and computes its steps' LRs where a walk reads them: OptLaw's
    /// predictions (S1 summed along the walk, the walk table built from it when a fit holds it) and the prefix sums build no array of
    /// its steps, and every value (LRs read whole or in chunks, S1, Q, predictions) is the one of the history of Stretch's array.
    /// </summary>
    [Fact]
    public void StretchedHistory_Streams_ItsSteps_AndGivesTheValuesOfTheArray_BitForBit()
    {
        double[] barriers = [1e-4];
        var law = new OptLaw(OptLaw.DefaultLags, barriers);
        Property.ForAll(Gen.Select(Gen.Int[1, 800], Property.LogUniform(1.01, 9), Gen.Int[0, int.MaxValue]), x =>
        {
            var (steps, w, seed) = x;
            var random = new Random(seed);
            var eta = Enumerable.Range(1, steps).Select(t => random.NextDouble() < 0.1 ? 0 : 1e-3 * (t % 40 < 20 ? 1 : random.NextDouble())).ToArray();
            var array = new ScheduleHistory(StepEquivalence.Stretch(eta, w));
            var streamed = StepEquivalence.StretchedHistory(eta, w);
            int m = array.Steps;
            if (m <= steps) return;   // w rounded to at most 1 step per step: the array, as before
            Assert.False(streamed.HasEtaArray);
            int[] at = [.. Enumerable.Range(1, m).Where(t => t % 37 == 0 || t == m || random.NextDouble() < 0.02)];
            double[] p = [2.5, 1, 0.4, 0.01, 0.3 + 2 * random.NextDouble(),
                .. Enumerable.Range(0, OptLaw.DefaultLags.Count).Select(k => k % 3 == 0 ? 0 : 0.5 + k), -0.2];
            var expected = new double[at.Length];
            law.Predict(p, array, at, expected);
            var y = new double[at.Length];
            law.Predict(p, streamed, at, y);
            Assert.Equal(expected, y);
            Assert.False(streamed.HasEtaArray);
            Assert.False(streamed.HasPrefixSums);
            // A fit's walks (the table built on the third, from the computed LRs) and the prefix sums: still no array of the steps.
            FitHistories.Admit([streamed]);
            try
            {
                for (int walk = 0; walk < 3; walk++)
                {
                    law.Predict(p, streamed, at, y);
                    Assert.Equal(expected, y);
                }
                Assert.True(law.HasWalkTable(streamed));
            }
            finally
            {
                FitHistories.Release([streamed]);
            }
            double[] Each(Func<int, double> f) => [.. Enumerable.Range(0, m + 1).Select(f)];
            Assert.Equal(Each(array.S1), Each(streamed.S1));
            Assert.False(streamed.HasEtaArray);
            var chunk = new double[7];
            var chunks = new List<double> { 0 };
            for (int from = 1; from <= m;)
            {
                var part = streamed.Etas(from, m, chunk);
                chunks.AddRange(part.ToArray());
                from += part.Length;
            }
            Assert.Equal(Each(array.Eta), chunks);
            Assert.False(streamed.HasEtaArray);
            Assert.Equal(Each(array.Q), Each(streamed.Q));   // Q reads the array: built now
            Assert.True(streamed.HasEtaArray);
            Assert.Equal(Each(array.Eta), Each(streamed.Eta));   // Eta(t) reads the array too
            Assert.Equal(array.EtaSpan.ToArray(), streamed.EtaSpan.ToArray());
        }, iterations: 25);
        // An LR that is not finite and >= 0 is refused as by the array's history, naming the stretched step.
        var bad = Assert.Throws<ArgumentException>(() => StepEquivalence.StretchedHistory([1e-3, double.NaN], 2));
        Assert.Contains("step 3 ", bad.Message);
    }

    [Fact]
    public void A_stretched_history_refuses_a_bad_lr_as_the_array_s_history_does()
    {
        // The stretched history checks its source first and runs the step-by-step check only when a source LR is bad (issue 12): the
        // same exception, naming the same first bad stretched step, as the history of the stretched array; none when every LR is good.
        // w >= 1.5 makes M = round(w S) > S for every S >= 1, so each history below is a stretched one (no array of its steps until
        // EtaSpan asks), the constructor whose check this is.
        double[] bads = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1e-3, -double.Epsilon];
        Property.ForAll(Gen.Select(Gen.Int[1, 400], Property.LogUniform(1.5, 12), Gen.Int[0, int.MaxValue], Gen.Int[0, 4]), x =>
        {
            var (steps, w, seed, kind) = x;
            var rng = new Random(seed);
            var eta = new double[steps];
            for (int i = 0; i < steps; i++) eta[i] = rng.Next(4) == 0 ? 0 : 1e-3 * rng.NextDouble();
            var good = StepEquivalence.StretchedHistory(eta, w);
            Assert.False(good.HasEtaArray);
            Assert.Equal(StepEquivalence.Stretch(eta, w), good.EtaSpan[1..].ToArray());
            eta[rng.Next(steps)] = bads[kind];
            if (rng.Next(2) == 0) eta[rng.Next(steps)] = bads[(kind + 1) % bads.Length];
            var expected = Assert.Throws<ArgumentException>(() => new ScheduleHistory(StepEquivalence.Stretch(eta, w)));
            var actual = Assert.Throws<ArgumentException>(() => StepEquivalence.StretchedHistory(eta, w));
            Assert.Equal(expected.Message, actual.Message);
        }, iterations: 200);
    }

    [Fact]
    public void A_stretched_history_of_a_given_up_array_is_the_history_of_its_copy()
    {
        // StretchedHistoryOwning keeps the caller's array as the source (no copy, issue 12): every LR, S1 and Q as the copying path's,
        // whether the history stretches (w > 1) or is written out (w <= 1).
        Property.ForAll(Gen.Select(Gen.Int[1, 600], Property.LogUniform(0.2, 12), Gen.Int[0, int.MaxValue]), x =>
        {
            var (steps, w, seed) = x;
            var rng = new Random(seed);
            var eta = new double[steps];
            for (int i = 0; i < steps; i++) eta[i] = 1e-3 * rng.NextDouble();
            var copied = StepEquivalence.StretchedHistory(eta, w);
            var owning = StepEquivalence.StretchedHistoryOwning((double[])eta.Clone(), w);
            Assert.Equal(copied.Steps, owning.Steps);
            Assert.Equal(copied.HasEtaArray, owning.HasEtaArray);
            for (int t = 0; t <= copied.Steps; t++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(copied.S1(t)), BitConverter.DoubleToInt64Bits(owning.S1(t)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(copied.Q(t)), BitConverter.DoubleToInt64Bits(owning.Q(t)));
            }
            Assert.Equal(copied.EtaSpan.ToArray(), owning.EtaSpan.ToArray());
        }, iterations: 100);
    }

    [Fact]
    public void A_whole_factor_repeats_each_step_and_a_fractional_one_stretches_the_lr_sum_w_fold()
    {
        double[] lr = [1e-4, 5e-4, 1e-3, 8e-4, 2e-4];
        Assert.Equal([1e-4, 1e-4, 5e-4, 5e-4, 1e-3, 1e-3, 8e-4, 8e-4, 2e-4, 2e-4], StepEquivalence.Stretch(lr, 2));
        Assert.Equal(lr, StepEquivalence.Stretch(lr, 1));
        Property.ForAll(Gen.Select(Gen.Int[50, 3000], Property.LogUniform(0.2, 8)), x =>
        {
            var (steps, w) = x;
            var eta = Enumerable.Range(1, steps).Select(t => 1e-3 * (1 + Math.Cos(Math.PI * t / steps)) / 2 + 1e-5).ToArray();
            var stretched = StepEquivalence.Stretch(eta, w);
            Assert.Equal(StepEquivalence.StretchedSteps(steps, w), stretched.Length);
            Assert.Equal(Math.Max(1, (int)Math.Round(w * steps, MidpointRounding.AwayFromZero)), stretched.Length);
            // The LR sum is w times the run's: each step s is repeated floor(w s) - floor(w (s - 1)) times, w +- 1, which sums (by parts) to
            // within the LR's total variation plus the first and last step's LR, at most 3 max eta for a monotone schedule.
            Assert.InRange(stretched.Sum() - w * eta.Sum(), -3 * eta.Max(), 3 * eta.Max());
            // Every unit step takes an LR of the run, in order (a monotone schedule stays monotone).
            for (int j = 1; j < stretched.Length; j++) Assert.True(stretched[j] <= stretched[j - 1]);
            Assert.Equal(eta[^1], stretched[^1]);
            Assert.Equal(stretched.Length, StepEquivalence.StretchedStep(steps, w, stretched.Length));
            Assert.Equal(1, StepEquivalence.StretchedStep(1, 1e-3, stretched.Length));
        });
    }

    [Fact]
    public void A_fractional_stretch_of_a_fit_target_keeps_its_losses_and_moves_its_observations_to_round_w_s()
    {
        var t = new FitTarget("run", new ScheduleHistory([1e-4, 5e-4, 1e-3, 8e-4, 2e-4, 2e-4, 1e-4, 1e-4]), [2, 3, 5, 8], [3.1, 2.9, 2.7, 2.6]) { ModelSize = 3.6e8 };
        var s = t.Stretched(1.5);
        Assert.Equal(12, s.History.Steps);
        Assert.Equal([3, 5, 8, 12], s.Steps);
        Assert.Same(t.Loss, s.Loss);
        Assert.Equal(3.6e8, s.ModelSize);
        s.Validate();
        // Unit step j has the LR of step ceil(j / 1.5).
        Assert.Equal([1e-4, 5e-4, 5e-4, 1e-3, 8e-4, 8e-4, 2e-4, 2e-4, 2e-4, 1e-4, 1e-4, 1e-4], Enumerable.Range(1, 12).Select(s.History.Eta));
        // A whole factor as a double is the whole-number stretch, exactly.
        var two = t.Stretched(2.0);
        Assert.Equal(t.Stretched(2).Steps, two.Steps);
        Assert.Equal(Enumerable.Range(1, 16).Select(t.Stretched(2).History.Eta), Enumerable.Range(1, 16).Select(two.History.Eta));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Stretched(0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Stretched(double.NaN));
    }
}
