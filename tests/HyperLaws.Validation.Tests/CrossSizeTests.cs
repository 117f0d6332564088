using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 2 (cross-size) on the curves shipped in data/.</summary>
public sealed class CrossSizeTests
{
    private static string Data => HyperLaws.Tests.DataFolders.Repo;

    /// <summary>
    /// The training-size check without any size exponent on the noise, the baseline of both design checks below: fitted once
    /// for the class (it was fitted in each of them; its options and data are the same).
    /// </summary>
    private static readonly Lazy<TrainingSizeCheck> Without = new(() =>
        CrossSize.CheckOnTrainingSizes(Data, new HyperLaws.Laws.Joint.JointFitOptions { OffsetExponent = 0.347 }));

    [Fact]
    public void AGivenSizeExponentReplacesTheVariantsWithProtocolTwosHeadlineConfigurationAtThatBeta()
    {
        // docs/VALIDATION.md, "(b) Protocol 2 with beta = 0.203": 'power' (protocol 2's headline size law) and 'shared' at the given beta;
        // the joint law's headline configuration (size terms + n_M) at that beta, then without n_M.
        var sized = CrossSize.GivenExponentVariants(0.203);
        Assert.Equal(["power, beta 0.203 (given)", "shared, beta 0.203 (given)"], sized.Select(v => v.Name));
        Assert.Equal([SizeScaling.PowerLaw, SizeScaling.Shared], sized.Select(v => v.Scaling));
        Assert.All(sized, v => Assert.Equal(0.203, v.OffsetExponent));
        var joint = CrossSize.JointGivenExponent(0.203);
        Assert.Equal(2, joint.Count);
        Assert.Equal((0.203, false, true, false), (joint[0].Options.OffsetExponent, joint[0].Options.NoiseSizeScale, joint[0].Options.NoiseMemorySizeScale, joint[0].Options.TieOffsetExponent));
        Assert.Equal((0.203, false, false, false), (joint[1].Options.OffsetExponent, joint[1].Options.NoiseSizeScale, joint[1].Options.NoiseMemorySizeScale, joint[1].Options.TieOffsetExponent));
        Assert.Contains("n_M", joint[0].Variant, StringComparison.Ordinal);
        Assert.Contains("no n_M", joint[1].Variant, StringComparison.Ordinal);
        Assert.False(CrossSize.IsSizeExponent(0));
        Assert.False(CrossSize.IsSizeExponent(double.NaN));
        Assert.False(CrossSize.IsSizeExponent(2.01));
        Assert.True(CrossSize.IsSizeExponent(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossSize.Run(Data, ["tissue"], sizeExponent: 0));
        Assert.Throws<ArgumentException>(() => CrossSize.Run(Data, ["tissue"], variants: CrossSize.Variants, sizeExponent: 0.203));
    }

    [Fact]
    public void TrainsOnEveryCurveOf25MAnd100MAndTestsOnEvery400MCurve()
    {
        var train = CrossSize.TrainTargets(Data);
        var test = CrossSize.TestTargets(Data);
        Assert.Equal(18, train.Count);
        Assert.Equal([25e6, 1e8], train.Select(t => t.ModelSize).Distinct().ToArray());
        Assert.Equal(9, train.Count(t => t.ModelSize == 25e6));
        Assert.Equal(9, test.Count);
        Assert.All(test, t => Assert.Equal(4e8, t.ModelSize));
        // The same points as protocol 1 (the point at step 24000 of a 24000-step run dropped).
        Assert.All(train.Concat(test), t => Assert.True(t.History.Steps != 24000 || t.Steps[^1] < 24000, t.Name));
        Assert.Equal(MplSplit.Target(Data, "100", "wsdcon_9").Steps, train.Single(t => t.Name == "wsdcon_9@100M").Steps);
        Assert.Equal(MplSplit.Target(Data, "400", "cosine_72000").Loss, test.Single(t => t.Name == "cosine_72000@400M").Loss);
    }

    [Fact]
    public void TheNoiseSizeExponentPassesItsDesignCheckOnTheTrainingSizes()
    {
        // The declared design check (docs/VALIDATION.md, "Protocol 2 with the noise's size exponent"), 400M never read:
        // with n_N the joint law fits the 18 training curves and predicts protocol 1's held-out curves of 25M and 100M
        // better than without it, and n_N comes out positive (the cooldown gain grows with N, as the MPL's per-size B).
        var with = CrossSize.CheckOnTrainingSizes(Data, new HyperLaws.Laws.Joint.JointFitOptions { OffsetExponent = 0.347, NoiseSizeScale = true });
        var without = Without.Value;
        Assert.Equal(0, without.InSampleNoiseExponent);
        Assert.Equal(0, without.SplitNoiseExponent);
        Assert.InRange(with.InSampleNoiseExponent, 0.05, 0.3);
        Assert.InRange(with.SplitNoiseExponent, 0.05, 0.3);
        Assert.True(with.InSamplePredE < 0.8 * without.InSamplePredE, $"in-sample {with.InSamplePredE} vs {without.InSamplePredE}");
        Assert.True(with.SplitPredE < 0.9 * without.SplitPredE, $"split {with.SplitPredE} vs {without.SplitPredE}");
    }

    [Fact]
    public void TheMemorySizeExponentFitsTheTrainingSizesBetterAndComesOutNegative()
    {
        // The training-size check of n_M (docs/VALIDATION.md, "Protocol 2: the size level from matched tables, a size-scaled
        // cooldown memory"), 400M never read: with n_M the joint law fits the 18 training curves and predicts protocol 1's
        // held-out curves of 25M and 100M better than without it (measured 0.122% -> 0.102%, 0.171% -> 0.158%), and n_M is
        // negative: the noise a cooldown has not yet removed is smaller in the larger model.
        var options = new HyperLaws.Laws.Joint.JointFitOptions { OffsetExponent = 0.347, NoiseMemorySizeScale = true };
        var with = CrossSize.CheckOnTrainingSizes(Data, options);
        var without = Without.Value;
        Assert.True(with.InSamplePredE < 0.9 * without.InSamplePredE, $"in-sample {with.InSamplePredE} vs {without.InSamplePredE}");
        Assert.True(with.SplitPredE < without.SplitPredE, $"split {with.SplitPredE} vs {without.SplitPredE}");
        Assert.Equal(0, with.InSampleNoiseExponent);   // n_N stays off
        // The in-sample fit of the check above (the joint law with these options on CrossSize.TrainTargets), not fitted again.
        var fit = with.InSampleFit;
        Assert.InRange(fit.Parameters[HyperLaws.Laws.Joint.JointLaw.NoiseMemorySizeExponent], -1, -0.1);
        Assert.Contains("n_M fitted", fit.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTwoSizesThePriorExponentMovesOnlyTheExtrapolation()
    {
        // L0(N) = E + b z^-beta through two sizes fits the same two offsets for any beta, so the in-sample
        // fit cannot choose beta: only the 400M prediction changes. This is why beta is a stated prior.
        var result = CrossSize.Run(Data, ["tissue"], variants: [new("beta 0.2", SizeScaling.PowerLaw, 0.2), new("beta 0.5", SizeScaling.PowerLaw, 0.5)]);
        var (low, high) = (result.Laws[0].Variants[0], result.Laws[0].Variants[1]);
        for (int s = 0; s < 2; s++)
            Assert.Equal(low.InSample[s].Summary.PredE, high.InSample[s].Summary.PredE, 6);
        Assert.Equal(low.Fit.Objective, high.Fit.Objective, 9);
        Assert.True(Math.Abs(low.Summary.PredE - high.Summary.PredE) > 0.005, $"400M PredE {low.Summary.PredE} vs {high.Summary.PredE}");
        // The 400M offset moves with beta while 25M and 100M stay put.
        var lowLaw = (SizedLaw)low.Fit.Law;
        var highLaw = (SizedLaw)high.Fit.Law;
        foreach (double n in new[] { 25e6, 1e8 })
            Assert.Equal(lowLaw.ParametersAt(low.Fit.Parameters, n)[0], highLaw.ParametersAt(high.Fit.Parameters, n)[0], 5);
        Assert.True(lowLaw.ParametersAt(low.Fit.Parameters, 4e8)[0] < highLaw.ParametersAt(high.Fit.Parameters, 4e8)[0]);
    }
}
