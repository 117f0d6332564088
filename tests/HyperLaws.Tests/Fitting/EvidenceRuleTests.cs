using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// Protocol 14e/15e's rule (docs/VALIDATION.md, <see cref="IdentificationRule.Evidence"/>): a decay seen only in part is fitted
/// freely and held at <see cref="DecayPrior"/> only when the free fit fails a physical check (<see cref="DecayCheck"/>); a decay
/// whose shape is shown is fitted freely exactly as before; one with no decrement is held at the prior as before.
/// </summary>
public sealed class EvidenceRuleTests
{
    /// <summary>A cosine to 0 at 4,000 steps after 100 warmup steps (AlgoPerf's schedule shape), peak 1e-3.</summary>
    private static double[] Cosine() => LrSchedule.Parse("cosine(peak=1e-3,steps=4000,warmup=100)").Evaluate();

    /// <summary>Tissue's curve (L0 2.9, A 0.6, alpha 0.45, C 0.5: a full decay lowers the loss by about 0.5, 15%, far above the prior's r = 4.4%) on the cosine, noise 0.1%, 40 points.</summary>
    private static FitTarget Full() => SyntheticCurves.Curve(new AnnealingLaw(), SyntheticCurves.TissueTruth, Cosine(), "cos", 1e-3, seed: 11, points: 40);

    private static FitTarget Cut(FitTarget t, int last)
    {
        int[] idx = [.. Enumerable.Range(0, t.Steps.Length).Where(i => t.Steps[i] <= last)];
        return t with { Steps = [.. idx.Select(i => t.Steps[i])], Loss = [.. idx.Select(i => t.Loss[i])] };
    }

    private static double Truth(ScheduleHistory h, int step)
    {
        var y = new double[1];
        new AnnealingLaw().Predict(SyntheticCurves.TissueTruth, h, [step], y);
        return y[0];
    }

    [Fact]
    public void A_decay_seen_only_in_part_that_its_free_fit_reads_physically_is_fitted_freely()
    {
        var full = Full();
        var half = Cut(full, 2000);
        var evidence = ScheduleEvidence.Of([half]);
        Assert.True(evidence.ShowsDecay);
        Assert.False(evidence.ShowsDecayShape);           // the cosine's first half ends at 52% of the peak: seen only in part
        var law = new AnnealingLaw();
        var fit = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Evidence);
        Assert.StartsWith("free", fit.Evidence, StringComparison.Ordinal);
        Assert.Null(fit.Pins);
        Assert.Empty(fit.Unidentified);
        Assert.False(fit.UsedPriors);
        Assert.Null(DecayCheck.Failure(law, fit.Fit, null, [half]));

        // The free fit reads the large decay; 14d's rule holds it at the prior's 4.4% and under-predicts the rest of the cosine.
        var held = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Shape);
        Assert.NotNull(held.Pins);
        Assert.Null(held.Evidence);
        double truth = Truth(full.History, 4000);
        double free = Math.Abs(fit.Fit.Predict(full.History, [4000])[0] / truth - 1);
        double prior = Math.Abs(held.Fit.Predict(full.History, [4000])[0] / truth - 1);
        Assert.True(free < 0.5 * prior && free < 0.02, $"free {free:P2}, prior-held {prior:P2}");
        // Its objective is at most the prior-held fit's: the free law contains it and was started there too (C1).
        Assert.True(fit.Fit.Objective <= held.Fit.Objective * (1 + DecayCheck.ObjectiveTolerance));
    }

    [Fact]
    public void A_free_fit_whose_decay_does_not_lower_the_loss_falls_back_to_the_prior_held_fit()
    {
        // The loss falls as 3 + 2/sqrt(s) at the peak LR, then stops falling and creeps up after a 40% linear cooldown starts at
        // step 1,800 (an overfitting model: no decay read from it is physical). Cut at 2,200: the LR is at 67% of its peak.
        var lr = SyntheticCurves.Wsd(3000, 0.4);
        int[] steps = [.. Enumerable.Range(1, 44).Select(i => i * 50)];
        double at = 3 + 2 / Math.Sqrt(1800);
        double[] loss = [.. steps.Select(s => s <= 1800 ? 3 + 2 / Math.Sqrt(s) : at * (1 + 0.02 * (s - 1800) / 600.0))];
        var curve = new FitTarget("rising", new ScheduleHistory(lr), steps, loss);
        Assert.True(ScheduleEvidence.Of([curve]).ShowsDecay);
        Assert.False(ScheduleEvidence.Of([curve]).ShowsDecayShape);
        var law = new AnnealingLaw();
        var fit = IdentifiedFitter.Fit(law, [curve], rule: IdentificationRule.Evidence);
        Assert.StartsWith("prior:", fit.Evidence, StringComparison.Ordinal);
        Assert.True(fit.UsedPriors);
        Assert.NotNull(fit.Pins);
        Assert.Contains("(C", fit.Unidentified.Single().Reason, StringComparison.Ordinal);   // the check it failed, named
        // The fallback is protocol 14d's fit, the same parameters.
        Assert.Equal(IdentifiedFitter.Fit(law, [curve], rule: IdentificationRule.Shape).Fit.Parameters, fit.Fit.Parameters);
        // And the free fit it rejected is the one DecayCheck rejects.
        var free = LawFitter.Fit(law, [curve], new FitOptions { Starts = [fit.Fit.Parameters] });
        Assert.NotNull(DecayCheck.Failure(law, free, fit.Fit, [curve]));
    }

    [Fact]
    public void Each_physical_check_rejects_its_case_and_passes_the_generating_law()
    {
        var full = Full();
        var half = Cut(full, 2000);
        var law = new AnnealingLaw();
        LawFit Fit(double[] p, double objective = 1e-6) => new(law, p, objective, 1, 1, true, "test");
        double[] truth = SyntheticCurves.TissueTruth;
        Assert.Null(DecayCheck.Failure(law, Fit(truth), Fit(truth), [half]));
        // C1: non-finite, or an objective above the prior-held fit's.
        Assert.Contains("(C1)", DecayCheck.Failure(law, Fit([2.9, 0.6, double.NaN, 0.5]), null, [half]), StringComparison.Ordinal);
        Assert.Contains("(C1)", DecayCheck.Failure(law, Fit(truth, 2e-6), Fit(truth, 1e-6), [half]), StringComparison.Ordinal);
        Assert.Null(DecayCheck.Failure(law, Fit(truth, 1e-6 * (1 + 1e-12)), Fit(truth, 1e-6), [half]));   // within the floating-point tolerance
        // C2: a negative floor.
        Assert.Contains("(C2)", DecayCheck.Failure(law, Fit([-0.1, 0.6, 0.45, 0.5]), null, [half]), StringComparison.Ordinal);
        // C3: a decay switched off (C = 0: the smaller LR sum raises the loss), and a drop through zero.
        Assert.Contains("does not lower the loss", DecayCheck.Failure(law, Fit([2.9, 0.6, 0.45, 0]), null, [half]), StringComparison.Ordinal);
        Assert.Contains("(C3)", DecayCheck.Failure(law, Fit([2.9, 0.6, 0.45, 50]), null, [half]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_probes_continue_the_schedule_held_or_decayed_linearly_to_zero()
    {
        var h = new ScheduleHistory(Cosine());
        var (hold, decay) = DecayCheck.Probes(h, 2000);
        Assert.Equal(4000, hold.Steps);
        Assert.Equal(4000, decay.Steps);
        for (int s = 1; s <= 2000; s++)
        {
            Assert.Equal(h.Eta(s), hold.Eta(s));
            Assert.Equal(h.Eta(s), decay.Eta(s));
        }
        double eta = h.Eta(2000);
        for (int s = 2001; s <= 4000; s += 97)
        {
            Assert.Equal(eta, hold.Eta(s));
            Assert.Equal(eta * (4000 - s) / 2000.0, decay.Eta(s), 15);
        }
        Assert.Equal(0, decay.Eta(4000));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecayCheck.Probes(h, 4001));
    }

    [Fact]
    public void The_rules_agree_where_the_evidence_is_clear_and_differ_only_on_a_decay_seen_in_part()
    {
        var law = new AnnealingLaw();
        var full = Full();
        // The whole cosine shows the decay's shape: every rule fits it freely, exactly LawFitter.Fit, and the evidence rule does not decide.
        var plain = LawFitter.Fit(law, [full]).Parameters;
        foreach (var rule in Enum.GetValues<IdentificationRule>())
        {
            var fit = IdentifiedFitter.Fit(law, [full], rule: rule);
            Assert.Equal(plain, fit.Fit.Parameters);
            Assert.Null(fit.Pins);
            Assert.Null(fit.Evidence);
        }
        // No decrement at all (the warmup and the first stretch at the peak): every rule but Free holds the decay at the prior.
        var flat = Cut(SyntheticCurves.Curve(law, SyntheticCurves.TissueTruth, SyntheticCurves.Wsd(4000, 0.2), "wsd", 1e-3, 3, 40), 2000);
        Assert.False(ScheduleEvidence.Of([flat]).ShowsDecay);
        var shape = IdentifiedFitter.Fit(law, [flat], rule: IdentificationRule.Shape);
        Assert.NotNull(shape.Pins);
        foreach (var rule in new[] { IdentificationRule.NoDecrement, IdentificationRule.Evidence })
            Assert.Equal(shape.Fit.Parameters, IdentifiedFitter.Fit(law, [flat], rule: rule).Fit.Parameters);
        Assert.Null(IdentifiedFitter.Fit(law, [flat], rule: IdentificationRule.Free).Pins);
        // Seen in part: 14c's rule fits freely (nothing reported; LawFitter.Fit started also at the prior-held fit, issue 10), 14d's holds it.
        var half = Cut(full, 2000);
        var c = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.NoDecrement);
        Assert.Empty(c.Unidentified);
        var held = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Shape);
        Assert.NotNull(held.Pins);
        Assert.Equal(LawFitter.Fit(law, [half], new FitOptions { Starts = [held.Fit.Parameters] }).Parameters, c.Fit.Parameters);
        // priors: false is Free whatever the rule.
        Assert.Null(IdentifiedFitter.Fit(law, [half], priors: false, rule: IdentificationRule.Shape).Pins);
    }
}
