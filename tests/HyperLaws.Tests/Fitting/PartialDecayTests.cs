using System.Globalization;
using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// Protocol 14d's rule (docs/VALIDATION.md): a decay seen only in part (fewer than 2 fitted points at an LR at most half its running
/// peak) counts as unidentified and is held at <see cref="DecayPrior"/>; the planner's held-out checks and the bootstrap fit through
/// the same identification.
/// </summary>
public sealed class PartialDecayTests
{
    /// <summary>Linear warmup over <paramref name="warmup"/> steps, then a linear decay to 0 from <paramref name="decayStart"/> to <paramref name="steps"/>.</summary>
    private static double[] Wsd(int steps, int warmup, int decayStart, double peak = 1e-3) =>
        [.. Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup : t <= decayStart ? peak : peak * (steps - t) / (steps - decayStart))];

    private static FitTarget Target(double[] lr, int[] steps) => new("c", new ScheduleHistory(lr), steps, [.. steps.Select(s => 3 + 1 / Math.Sqrt(s))]);

    [Fact]
    public void Deep_points_match_the_closed_form_of_a_linear_decay() =>
        // A linear decay from d0 to 0 at S: eta_t <= peak / 2 iff t >= d0 + (S - d0) / 2. Points every 50 steps up to a cut c.
        Property.ForAll(Gen.Select(Gen.Int[1000, 6000], Gen.Double[0.2, 0.95], Gen.Double[0.05, 1.0]), x =>
        {
            var (total, start, cut) = x;
            int d0 = (int)(start * total), c = Math.Max(50, (int)(cut * total));
            int[] steps = [.. Enumerable.Range(1, c / 50).Select(i => i * 50)];
            var evidence = ScheduleEvidence.Of([Target(Wsd(total, Math.Min(100, d0 / 2), d0), steps)]);
            double threshold = d0 + ScheduleEvidence.ShapeFraction * (total - d0);
            int expected = steps.Count(s => s >= threshold - 1e-9);
            Assert.InRange(evidence.DeepPoints, Math.Max(0, expected - 1), expected + 1);
            Assert.True(evidence.DeepPoints <= evidence.DecayPoints);      // a deep point follows a decrement
            Assert.InRange(evidence.DeepestRatio, 0, 1);
            if (expected >= 3) Assert.True(evidence.ShowsDecayShape);
            if (expected == 0) Assert.False(evidence.ShowsDecayShape);
            // The second-lowest LR ratio at the fitted points decides: at most one half iff the shape is shown.
            Assert.Equal(evidence.DeepestRatio <= ScheduleEvidence.ShapeFraction, evidence.ShowsDecayShape);
            // Each law's decay term is reported exactly when the shape is not shown.
            Assert.Equal(!evidence.ShowsDecayShape, Identification.Of(new MultiPowerLaw(), [Target(Wsd(total, Math.Min(100, d0 / 2), d0), steps)]).Count == 1);
        });

    /// <summary>The published MPL 25M law's curve on a 70% linear cooldown (track3's schedule shape), noise 0.2%, at 80 points.</summary>
    private static (FitTarget Full, FitTarget Half, double[] Truth) PartialCooldown(int seed)
    {
        var truth = MultiPowerLaw.Published.OrderBy(kv => kv.Key).First().Value;
        var lr = LrSchedule.Parse("wsd(peak=3e-4,steps=24000,warmup=500,cooldown=0.7)").Evaluate();
        var full = SyntheticCurves.Curve(new MultiPowerLaw(), truth, lr, "t3-like", 2e-3, seed, points: 80);
        var idx = full.Steps.Select((s, i) => (s, i)).Where(z => z.s <= 12000).Select(z => z.i).ToArray();
        return (full, full with { Steps = [.. idx.Select(i => full.Steps[i])], Loss = [.. idx.Select(i => full.Loss[i])] }, truth);
    }

    [Theory]
    [InlineData("mpl")]
    [InlineData("tissue")]
    [InlineData("optlaw")]
    public void A_first_half_inside_a_long_cooldown_is_held_at_the_prior_and_its_prediction_stays_physical(string name)
    {
        var (full, half, truth) = PartialCooldown(seed: 7);
        var evidence = ScheduleEvidence.Of([half]);
        Assert.True(evidence.ShowsDecay);                 // the half holds part of the cooldown (down to 71% of the peak) ...
        Assert.False(evidence.ShowsDecayShape);           // ... not half of it
        var law = LawCatalog.Create(name);
        var fit = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Shape);   // protocol 14d's rule (the evidence rule: EvidenceRuleTests)
        Assert.True(fit.UsedPriors);
        Assert.Contains("seen only in part", fit.Unidentified.Single().Reason, StringComparison.Ordinal);
        Assert.NotNull(fit.Pins);
        foreach (var (i, v) in fit.Pins!) Assert.Equal(v, fit.Fit.Parameters[i]);

        // Physical: the predicted final loss is positive, below the last fitted loss (the rest of the cooldown lowers it), and at
        // most the prior's full-decay drop r L_ref below the fitted curve's own continuation at its peak LR (no decay at all).
        var (peak, lref) = DecayPrior.Reference([half]);
        double final = fit.Fit.Predict(full.History, [24000])[0];
        var flat = new ScheduleHistory([.. Enumerable.Range(1, 24000).Select(t => t <= 500 ? peak * t / 500 : peak)]);
        double noDecay = fit.Fit.Predict(flat, [24000])[0];
        Assert.True(final > 0 && final < half.Loss[^1], $"{name}: {final} (last fitted {half.Loss[^1]})");
        Assert.True(noDecay - final <= DecayPrior.RelativeDrop * lref * (1 + 1e-9) + 1e-12, $"{name}: drop {noDecay - final} > r L_ref {DecayPrior.RelativeDrop * lref}");
        // (Fitted freely, as before this rule, OptLaw's fit of this curve, seed 7, predicts 2.689, a drop of 12.7% of L_ref below its
        // own no-decay continuation and 9.1% below the generating law's 2.958: it fails this bound; mpl and tissue happened to stay in it.)
        // And it is near the generating law's final loss (the prior's r is 4.4%, this law's own full drop 3.3%): within 3%.
        var y = new double[1];
        new MultiPowerLaw().Predict(truth, full.History, [24000], y);
        Assert.True(Math.Abs(final / y[0] - 1) < 0.03, $"{name}: {final} against the law's {y[0]}");
    }

    [Fact]
    public void The_whole_curve_is_identified_and_fitted_exactly_as_before()
    {
        var (full, _, _) = PartialCooldown(seed: 7);
        Assert.True(ScheduleEvidence.Of([full]).ShowsDecayShape);
        var law = new AnnealingLaw();
        var identified = IdentifiedFitter.Fit(law, [full]);
        Assert.Empty(identified.Unidentified);
        Assert.Null(identified.Pins);
        Assert.Equal(LawFitter.Fit(law, [full]).Parameters, identified.Fit.Parameters);
    }

    [Fact]
    public void The_bootstrap_of_a_fit_with_a_prior_refits_the_free_parameters_only()
    {
        var (_, half, _) = PartialCooldown(seed: 3);
        var law = new AnnealingLaw();
        var fit = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Shape);
        var options = new BootstrapOptions { Replicates = 12, Scheme = BootstrapScheme.Blocks, Seed = 5 };
        var result = IdentifiedFitter.Bootstrap(law, [half], fit, options);
        Assert.Equal(law.ParameterNames.Count, result.Parameters.Count);
        double c = fit.Fit.Parameters[AnnealingLaw.C];
        Assert.All(result.Bootstrap.Samples, s => Assert.Equal(c, s[AnnealingLaw.C]));           // the prior held in every replicate
        Assert.Equal(c, result.Parameters[AnnealingLaw.C].Lower);
        Assert.Equal(c, result.Parameters[AnnealingLaw.C].Upper);
        Assert.True(result.Bootstrap.Samples.Select(s => s[AnnealingLaw.L0]).Distinct().Count() > 1);  // the free ones vary

        // Left free (priors off), the bootstrap is LawBootstrap.Run's, unchanged.
        var free = IdentifiedFitter.Fit(law, [half], priors: false);
        var plain = LawBootstrap.Run(law, [half], options, free.Fit);
        Assert.Equal(plain.Bootstrap.Samples, IdentifiedFitter.Bootstrap(law, [half], free, options).Bootstrap.Samples);
    }

    [Fact]
    public void A_held_out_check_scores_the_fit_it_is_given()
    {
        // The planner passes the identified fit: on a partial-cooldown training curve the check's fit is the pinned one.
        var (full, half, _) = PartialCooldown(seed: 11);
        var law = new AnnealingLaw();
        var identified = LawComparison.Score(law, [half], [full], fitter: (l, t, o) => IdentifiedFitter.Fit(l, t, o).Fit);
        Assert.Equal(IdentifiedFitter.Fit(law, [half]).Fit.Parameters, identified.Fit.Parameters);
        Assert.Equal(LawFitter.Fit(law, [half]).Parameters, LawComparison.Score(law, [half], [full]).Fit.Parameters);
        var final = ConformalCalibration.FinalLoss(law, fitter: (l, t, o) => IdentifiedFitter.Fit(l, t, o).Fit)([half])(full);
        Assert.Equal(IdentifiedFitter.Fit(law, [half]).Fit.Predict(full.History, [full.Steps[^1]])[0], final);
    }
}
