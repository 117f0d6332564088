using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// Issue 10 (docs/VALIDATION.md, "The prior-held fit as a start of every free fit of a short decrement"): every free fit of a decay
/// seen only in part is started also at the prior-held fit, so its objective is never above that fit's. The case: MPL's published
/// 25M curve at a Muon-like peak LR (100x AdamW's 3e-4, the law's parameters rescaled so the curve is the published one), the first
/// half of a 70% linear cooldown (the LR at 71% of its peak: seen only in part), where MPL's own starts, scaled for AdamW's LR, stop
/// hundreds of times above the prior-held objective (as protocol 14d's diagnosis found on t3-muon and t3-spectral).
/// </summary>
public sealed class ShortDecrementStartTests
{
    private const double Scale = 100;

    /// <summary>The first half (steps up to 12,000 of 24,000) of the curve, and the whole curve.</summary>
    private static (FitTarget Half, FitTarget Full) Curves()
    {
        // LR x k: S1 and every decrement scale by k, eta^-gamma S_k by k^(1 - gamma); A k^alpha, B / k, C k^(gamma - 1) keep the curve.
        var p = MultiPowerLaw.Published["25M"];
        double[] truth = [p[0], p[1] * Math.Pow(Scale, p[2]), p[2], p[3] / Scale, p[4] * Math.Pow(Scale, p[6] - 1), p[5], p[6]];
        var lr = LrSchedule.Parse(FormattableString.Invariant($"wsd(peak={3e-4 * Scale},steps=24000,warmup=500,cooldown=0.7)")).Evaluate();
        var full = SyntheticCurves.Curve(new MultiPowerLaw(), truth, lr, "t3-like", 2e-3, seed: 1, points: 80);
        int[] idx = [.. Enumerable.Range(0, full.Steps.Length).Where(i => full.Steps[i] <= 12000)];
        return (full with { Steps = [.. idx.Select(i => full.Steps[i])], Loss = [.. idx.Select(i => full.Loss[i])] }, full);
    }

    [Fact]
    public void Every_free_fit_of_a_short_decrement_ends_at_or_below_the_prior_held_objective()
    {
        var (half, full) = Curves();
        var evidence = ScheduleEvidence.Of([half]);
        Assert.True(evidence.ShowsDecay && !evidence.ShowsDecayShape);
        var law = new MultiPowerLaw();
        var held = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Shape);   // 14d's rule: the prior-held fit
        Assert.NotNull(held.Pins);
        double bound = held.Fit.Objective * (1 + DecayCheck.ObjectiveTolerance);

        // The trap: from MPL's own starts alone the free fit stops far above the prior-held point, which the free law contains.
        var plain = LawFitter.Fit(law, [half]);
        Assert.True(plain.Objective > 100 * held.Fit.Objective, $"own starts {plain.Objective:G4}, prior-held {held.Fit.Objective:G4}");

        // Every rule that fits this decay freely (14c's, free, the evidence rule) ends at or below the prior-held objective.
        var c = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.NoDecrement);
        var free = IdentifiedFitter.Fit(law, [half], priors: false);
        var byEvidence = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Evidence);
        foreach (var fit in new[] { c, free, byEvidence })
        {
            Assert.True(fit.Fit.Objective <= bound, $"{fit.Evidence}: {fit.Fit.Objective:G4} above the prior-held {held.Fit.Objective:G4}");
            Assert.True(fit.Fit.Predict(full.History, [24000])[0] > 0);
        }
        // The evidence rule kept its free fit (not the prior-held one it falls back to).
        Assert.Null(byEvidence.Pins);
        Assert.StartsWith("free:", byEvidence.Evidence, StringComparison.Ordinal);
        // 14c's and free's fits are the free fit started also at the prior-held point (the evidence rule's free fit, when it keeps it).
        var started = LawFitter.Fit(law, [half], new FitOptions { Starts = [held.Fit.Parameters] });
        Assert.Equal(started.Parameters, c.Fit.Parameters);
        Assert.Equal(started.Parameters, free.Fit.Parameters);
    }

    [Fact]
    public void A_decay_whose_shape_is_shown_is_fitted_from_the_law_s_own_starts_alone()
    {
        // The whole curve reaches 0: the decay is identified, and every rule's fit is LawFitter.Fit's, no prior-held fit added.
        var (_, full) = Curves();
        Assert.True(ScheduleEvidence.Of([full]).ShowsDecayShape);
        var law = new MultiPowerLaw();
        var plain = LawFitter.Fit(law, [full]).Parameters;
        Assert.Equal(plain, IdentifiedFitter.Fit(law, [full], rule: IdentificationRule.NoDecrement).Fit.Parameters);
        Assert.Equal(plain, IdentifiedFitter.Fit(law, [full], priors: false).Fit.Parameters);
    }

    /// <summary>A cache that serves <paramref name="first"/> to the first lookup (whatever its key) and misses afterwards.</summary>
    private sealed class FirstLookup(CachedFit first) : IFitCache
    {
        private CachedFit? _first = first;

        public CachedFit? TryGet(string key)
        {
            var f = _first;
            _first = null;
            return f;
        }

        public void Store(string key, CachedFit fit) { }
    }

    [Fact]
    public void A_free_fit_that_still_ends_above_the_prior_held_objective_is_run_again_from_that_point()
    {
        // A staged fit (a first stage on thinned points or a few curves) chooses its start on that copy and can end above the
        // prior-held objective although the held point is one of its starts. Stand-in: the fit cache serves the free fit from MPL's
        // own starts (the trap above) as the free fit's result; the prior-held fit is not cached.
        var (half, _) = Curves();
        var law = new MultiPowerLaw();
        var held = IdentifiedFitter.Fit(law, [half], rule: IdentificationRule.Shape).Fit;
        var trapped = LawFitter.Fit(law, [half]);
        Assert.True(trapped.Objective > 100 * held.Objective);

        // The evidence rule runs again only with polishFromHeld (off by default: without it the trapped fit fails C1 and the prior is held).
        var off = IdentifiedFitter.Fit(new CachedLaw(law, new FirstLookup(CachedFit.Of(trapped))), [half], rule: IdentificationRule.Evidence);
        Assert.NotNull(off.Pins);
        Assert.StartsWith("prior:", off.Evidence, StringComparison.Ordinal);
        var fit = IdentifiedFitter.Fit(new CachedLaw(law, new FirstLookup(CachedFit.Of(trapped))), [half], rule: IdentificationRule.Evidence, polishFromHeld: true);
        Assert.True(fit.Fit.Objective <= held.Objective * (1 + DecayCheck.ObjectiveTolerance), $"{fit.Evidence}: {fit.Fit.Objective:G4}");
        Assert.EndsWith(IdentifiedFitter.PolishNote, fit.Evidence, StringComparison.Ordinal);   // kept free, and said how it was fitted
        Assert.Null(fit.Pins);
        // The run from the prior-held point alone: LawFitter.Fit from that start, no other.
        var alone = LawFitter.Fit(law, [half], new FitOptions { Starts = [held.Parameters], UseLawStartingPoints = false, CoarsePoints = 0, CurveSubset = 0 });
        Assert.Equal(alone.Parameters, fit.Fit.Parameters);
        // 14c's rule through the same path.
        var c = IdentifiedFitter.Fit(new CachedLaw(law, new FirstLookup(CachedFit.Of(trapped))), [half], rule: IdentificationRule.NoDecrement);
        Assert.Equal(alone.Parameters, c.Fit.Parameters);
        Assert.Equal("polished" + IdentifiedFitter.PolishNote, c.Evidence);   // the note kept for 14c's rule (and free) too
    }
}
