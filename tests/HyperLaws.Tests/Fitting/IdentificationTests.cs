using System.Globalization;
using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// Identification of a law's terms from the fitted curves' schedules, and the decay priors of <see cref="IdentifiedFitter"/>:
/// detected exactly when no fitted point follows an LR decrement, applied only then, and a fit on a real constant-LR first half
/// (the published MPL 25M constant run) that predicts a bounded, positive loss after a decay.
/// </summary>
public sealed class IdentificationTests
{
    /// <summary>A WSD schedule: linear warmup over <paramref name="warmup"/> steps, a linear decay to 0 from <paramref name="decayStart"/>.</summary>
    private static double[] Wsd(int steps, int warmup, int decayStart, double peak = 1e-3) =>
        [.. Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup : t <= decayStart ? peak : peak * (steps - t) / (steps - decayStart))];

    private static FitTarget Target(double[] lr, int[] steps) => new("c", new ScheduleHistory(lr), steps, [.. steps.Select(s => 3 + 1 / Math.Sqrt(s))]);

    [Fact]
    public void A_constant_lr_curve_leaves_each_laws_decay_term_unidentified_and_a_decayed_one_does_not()
    {
        int[] steps = [.. Enumerable.Range(1, 40).Select(i => i * 100)];
        var constant = Target(Wsd(8000, 200, 6000), steps);       // every fitted point (<= 4000) before the decay
        var decayed = Target(Wsd(4000, 200, 2000), steps);        // points after step 2200 are >= 10% below the peak
        Assert.False(ScheduleEvidence.Of([constant]).ShowsDecay);
        Assert.Equal(0, ScheduleEvidence.Of([constant]).DecayPoints);
        Assert.True(ScheduleEvidence.Of([decayed]).ShowsDecay);

        Assert.Equal(["B", "C", "beta", "gamma"], Identification.Of(new MultiPowerLaw(), [constant]).Single().Parameters);
        Assert.Equal(["C"], Identification.Of(new AnnealingLaw(), [constant]).Single().Parameters);
        var opt = Identification.Of(new OptLaw(), [constant]).Single();
        Assert.Equal(["p", .. new OptLaw().ParameterNames.Skip(OptLaw.FirstWeight)], opt.Parameters);
        Assert.Empty(Identification.Of(new ConvexBoundLaw(), [constant]));
        foreach (var law in new IFittableLaw[] { new MultiPowerLaw(), new AnnealingLaw(), new OptLaw(), new ConvexBoundLaw() })
        {
            Assert.Empty(Identification.Of(law, [decayed]));
            Assert.Empty(Identification.Of(law, [constant, decayed]));   // one curve that decays identifies the term for all
        }
        // The joint law: one peak LR and no model size leave its peak-LR and size terms unidentified too.
        var joint = Identification.Of(new HyperLaws.Laws.Joint.JointLaw(), [decayed]);
        Assert.Equal(["peak-LR", "model-size"], joint.Select(t => t.Term));
        Assert.Contains("two or more peak LRs", joint[0].Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void One_point_after_the_decrement_is_not_enough()
    {
        // Decay from 3000 of 4000: the LR is 10% below the peak from step 3100; fitted points at 3100 (and 3200) only.
        var one = Target(Wsd(4000, 100, 3000), [.. Enumerable.Range(1, 31).Select(i => i * 100)]);
        var two = Target(Wsd(4000, 100, 3000), [.. Enumerable.Range(1, 32).Select(i => i * 100)]);
        Assert.Equal(1, ScheduleEvidence.Of([one]).DecayPoints);
        Assert.Contains("only 1 fitted point", Identification.Of(new AnnealingLaw(), [one]).Single().Reason, StringComparison.Ordinal);
        Assert.Equal(2, ScheduleEvidence.Of([two]).DecayPoints);
        // Two points after the decrement, but at 90% and 80% of the peak: seen only in part (protocol 14d), still reported.
        Assert.Contains("seen only in part", Identification.Of(new AnnealingLaw(), [two]).Single().Reason, StringComparison.Ordinal);
        // Points at or below half the peak (3500 and later): identified.
        var deep = Target(Wsd(4000, 100, 3000), [.. Enumerable.Range(1, 36).Select(i => i * 100)]);
        Assert.Empty(Identification.Of(new AnnealingLaw(), [deep]));
    }

    [Fact]
    public void Detection_matches_the_closed_form_of_a_linear_decay() =>
        // A linear decay from d0 to 0 at S: eta_t <= 0.9 peak iff t >= d0 + 0.1 (S - d0). With points every 50 steps up to a cut c,
        // the decay is seen iff at least 2 of them are at or past that step (and the warmup, shorter than d0, never counts).
        Property.ForAll(Gen.Select(Gen.Int[1000, 6000], Gen.Double[0.2, 0.95], Gen.Double[0.05, 1.0]), x =>
        {
            var (total, start, cut) = x;
            int d0 = (int)(start * total), c = Math.Max(50, (int)(cut * total));
            int[] steps = [.. Enumerable.Range(1, c / 50).Select(i => i * 50)];
            if (steps.Length == 0) return;
            var evidence = ScheduleEvidence.Of([Target(Wsd(total, Math.Min(100, d0 / 2), d0), steps)]);
            double threshold = d0 + 0.1 * (total - d0);
            int expected = steps.Count(s => s >= threshold - 1e-9);
            // Rounding of eta at the threshold step itself: allow that one point either way.
            Assert.InRange(evidence.DecayPoints, Math.Max(0, expected - 1), expected + 1);
            if (expected >= 3) Assert.True(evidence.ShowsDecay);
            if (expected == 0) Assert.False(evidence.ShowsDecay);
        });

    [Fact]
    public void Priors_are_applied_only_when_a_term_is_unidentified() =>
        Property.ForAll(Gen.Select(Gen.Int[0, 1000], Gen.Double[0.1, 0.6]), x =>
        {
            var (seed, cooldown) = x;
            var law = new AnnealingLaw();
            // Curves with a decay: the identified fit is the plain fit, bit for bit, and nothing is reported.
            var curves = SyntheticCurves.Tissue(2, 1e-3, seed);
            var identified = IdentifiedFitter.Fit(law, curves);
            Assert.Empty(identified.Unidentified);
            Assert.False(identified.UsedPriors);
            Assert.Equal(LawFitter.Fit(law, curves).Parameters, identified.Fit.Parameters);

            // The same law's curve cut before its decay: C is held at the prior, r L_ref (1 - lambda) / eta_peak, the rest fitted.
            var lr = SyntheticCurves.Wsd(4000, cooldown);
            var full = SyntheticCurves.Curve(law, SyntheticCurves.TissueTruth, lr, "w", 1e-3, seed, points: 80);
            int cut = (int)(4000 * (1 - cooldown));
            var before = full with { Steps = [.. full.Steps.Where(s => s <= cut)], Loss = [.. full.Steps.Select((s, i) => (s, i)).Where(z => z.s <= cut).Select(z => full.Loss[z.i])] };
            var pinned = IdentifiedFitter.Fit(law, [before]);
            Assert.True(pinned.UsedPriors);
            var term = pinned.Unidentified.Single();
            Assert.Equal("annealing", term.Term);
            Assert.NotNull(term.Prior);
            var (peak, lref) = DecayPrior.Reference([before]);
            Assert.Equal(1e-3, peak, 12);
            Assert.Equal(DecayPrior.RelativeDrop * lref * (1 - law.Lambda) / peak, pinned.Fit.Parameters[AnnealingLaw.C], 12);
            // With priors off the term is reported, left free, and the plain fit is returned.
            var free = IdentifiedFitter.Fit(law, [before], priors: false);
            Assert.Null(free.Unidentified.Single().Prior);
            Assert.Equal(LawFitter.Fit(law, [before]).Parameters, free.Fit.Parameters);
        }, iterations: 12);

    /// <summary>The first half (steps &lt;= 12000) of the published MPL 25M constant-LR run: every fitted point at one LR after warmup.</summary>
    private static FitTarget ConstantFirstHalf()
    {
        var rows = File.ReadAllLines(Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", "constant_24000.csv")).Skip(1)
            .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(','))
            .Select(c => (Step: int.Parse(c[0], CultureInfo.InvariantCulture), Loss: double.Parse(c[2], CultureInfo.InvariantCulture)))
            .Where(o => o.Step <= 12000).ToArray();
        return new FitTarget("constant_24000", new ScheduleHistory(LrSchedule.Parse("constant(peak=3e-4,steps=24000,warmup=2160)").Evaluate()),
            [.. rows.Select(o => o.Step)], [.. rows.Select(o => o.Loss)]);
    }

    [Theory]
    [InlineData("mpl")]
    [InlineData("tissue")]
    [InlineData("optlaw")]
    public void On_a_real_constant_lr_first_half_the_predicted_decay_is_positive_and_bounded_by_the_prior(string name)
    {
        var half = ConstantFirstHalf();
        var law = LawCatalog.Create(name);
        var fit = IdentifiedFitter.Fit(law, [half]);
        Assert.True(fit.UsedPriors);
        Assert.True(fit.Fit.HasFiniteParameters);
        var (_, lref) = DecayPrior.Reference([half]);
        double bound = DecayPrior.RelativeDrop * lref;
        // The run's own schedule (constant) against a WSD with a 20% linear decay to 0 and a cosine to 0, all at 24000 steps.
        var constant = fit.Fit.Predict(half.History, [24000])[0];
        foreach (string spec in new[] { "wsd(peak=3e-4,steps=24000,warmup=2160,cooldownSteps=4800)", "cosine(peak=3e-4,steps=24000,warmup=2160)" })
        {
            double decayed = fit.Fit.Predict(new ScheduleHistory(LrSchedule.Parse(spec).Evaluate()), [24000])[0];
            Assert.True(decayed > 0, $"{name} on {spec}: {decayed}");
            double drop = constant - decayed;
            Assert.True(drop >= 0 && drop <= bound * (1 + 1e-9), $"{name} on {spec}: drop {drop} against the prior's bound {bound}");
        }
        // The fitted part itself is followed (in-sample relative error under 2%).
        var y = fit.Fit.Predict(half.History, half.Steps);
        Assert.True(y.Zip(half.Loss).Max(z => Math.Abs(z.First - z.Second) / z.Second) < 0.02);
    }

    [Fact]
    public void The_relative_drop_and_the_mpl_shape_are_the_published_fits()
    {
        // r = B eta_peak / L(24000) on the published constant schedule, averaged over 25M, 100M, 400M (DecayPrior's remarks).
        var h = new ScheduleHistory(LrSchedule.Parse("constant(peak=3e-4,steps=24000,warmup=2160)").Evaluate());
        var law = new MultiPowerLaw();
        double r = MultiPowerLaw.Published.Values.Average(p => p[MultiPowerLaw.B] * 3e-4 / Predict(law, p, h));
        Assert.Equal(DecayPrior.RelativeDrop, r, 3);
        Assert.Equal(DecayPrior.MplC, MultiPowerLaw.Published.Values.Average(p => p[MultiPowerLaw.C]), 4);
        Assert.Equal(DecayPrior.MplBeta, MultiPowerLaw.Published.Values.Average(p => p[MultiPowerLaw.Beta]), 4);
        Assert.Equal(DecayPrior.MplGamma, MultiPowerLaw.Published.Values.Average(p => p[MultiPowerLaw.Gamma]), 4);
    }

    private static double Predict(ILossLaw law, double[] p, ScheduleHistory h)
    {
        var y = new double[1];
        law.Predict(p, h, [24000], y);
        return y[0];
    }

    [Fact]
    public void A_pinned_law_predicts_the_inner_law_at_the_expanded_vector_and_its_gradient_is_the_inner_columns()
    {
        var inner = new MultiPowerLaw();
        var pins = new Dictionary<int, double> { [MultiPowerLaw.C] = 2.0, [MultiPowerLaw.Gamma] = 0.6 };
        var pinned = PinnedLaw.Create(inner, pins);
        Assert.IsAssignableFrom<IDifferentiableLaw>(pinned);
        Assert.Equal(["L0", "A", "alpha", "B", "beta"], pinned.ParameterNames);
        double[] free = [3.0, 0.5, 0.5, 400, 0.6];
        double[] full = [3.0, 0.5, 0.5, 400, 2.0, 0.6, 0.6];
        Assert.Equal(full, pinned.Expand(free));
        var h = new ScheduleHistory(Wsd(3000, 100, 2000, 3e-4));
        int[] steps = [500, 2500, 3000];
        var (a, b) = (new double[3], new double[3]);
        var (ga, gb) = (new double[3 * 5], new double[3 * 7]);
        ((IDifferentiableLaw)pinned).PredictWithGradient(free, h, steps, a, ga);
        inner.PredictWithGradient(full, h, steps, b, gb);
        Assert.Equal(b, a);
        int[] columns = [0, 1, 2, 3, 5];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(gb[i * 7 + columns[j]], ga[i * 5 + j]);
        Assert.Throws<ArgumentException>(() => PinnedLaw.Create(inner, new Dictionary<int, double> { [MultiPowerLaw.B] = -1 }));
        Assert.Throws<ArgumentException>(() => PinnedLaw.Create(inner, Enumerable.Range(0, 7).ToDictionary(i => i, _ => 1.0)));
    }

    private sealed class MemoryCache : IFitCache
    {
        private readonly Dictionary<string, CachedFit> _entries = [];

        public CachedFit? TryGet(string key) => _entries.TryGetValue(key, out var f) ? f : null;

        public void Store(string key, CachedFit fit) => _entries[key] = fit;
    }

    [Fact]
    public void A_law_fitted_through_the_fit_cache_is_identified_and_pinned_as_its_inner_law()
    {
        // The planner fits through CachedLaw: the same terms, the same pinned fit, and the returned law is the cached one.
        var half = ConstantFirstHalf();
        var cached = new CachedLaw(new AnnealingLaw(), new MemoryCache());
        Assert.Equal(["C"], Identification.Of(cached, [half]).Single().Parameters);
        var viaCache = IdentifiedFitter.Fit(cached, [half]);
        var direct = IdentifiedFitter.Fit(new AnnealingLaw(), [half]);
        Assert.True(viaCache.UsedPriors);
        Assert.Same(cached, viaCache.Fit.Law);
        Assert.Equal(direct.Fit.Parameters, viaCache.Fit.Parameters);
        Assert.Equal(direct.Unidentified.Single().Prior, IdentifiedFitter.Terms(cached, [half]).Single().Prior);
    }
}
