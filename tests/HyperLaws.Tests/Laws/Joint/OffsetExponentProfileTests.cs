using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The joint law's fit profiled over beta (<see cref="OffsetExponentProfile"/>, <see cref="JointFitOptions.ProfileOffsetExponent"/>).</summary>
public sealed class OffsetExponentProfileTests
{
    /// <summary>The law at p = 1 with free lag weights (the mechanisms off: one peak LR), so each fit is small and fast.</summary>
    private static readonly JointFitOptions Options = new() { NoisePowersWhereIdentified = false, Noise = JointNoise.Free };

    /// <summary>
    /// Curves of the law at three sizes (25M, 100M, 400M) with offset E + 0.3 (z^-beta - 1), one peak LR and two cooldowns each, 12
    /// observations; with <paramref name="wobble"/> each loss is multiplied by 1 + wobble sin(7.3 i) (a deterministic misfit, so the
    /// objective's minimum is not 0).
    /// </summary>
    private static List<JointCurve> Curves(double beta, double wobble)
    {
        var truth = JointLawTests.Parameters(kappa: 0, c: 0);
        truth[JointLaw.OffsetReducible] = 0.3;
        truth[JointLaw.Beta] = beta;
        truth[JointLaw.ProgressExponent] = 0.2;
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double n in new[] { 2.5e7, 1e8, 4e8 })
            foreach (double cooldown in new[] { 0.2, 0.5 })
            {
                var h = new ScheduleHistory(JointLawTests.Wsd(2500, 100, 1e-3, cooldown));
                int[] at = [.. Enumerable.Range(1, 12).Select(i => i * 2500 / 12)];
                var y = new double[at.Length];
                law.Predict(truth, h, n, at, y);
                for (int i = 0; i < y.Length; i++) y[i] *= 1 + wobble * Math.Sin(7.3 * (i + curves.Count * at.Length));
                curves.Add(new JointCurve($"N={n} cd={cooldown}", h, at, y, n));
            }
        return curves;
    }

    [Fact]
    public void The_profile_recovers_a_known_beta_between_its_grid_points()
    {
        // 0.30 lies between the grid's 0.28 and 0.32: the golden-section refinement has to find it.
        var curves = Curves(0.30, 0);
        var profile = new OffsetExponentProfile(curves, Options);
        var fit = profile.Minimize();
        var lowest = profile.Points.MinBy(p => p.Objective)!;
        Assert.InRange(lowest.Beta, 0.295, 0.305);
        Assert.True(lowest.Objective < 1e-10, $"objective {lowest.Objective}");
        Assert.InRange(fit.Parameters[JointLaw.Beta], 0.295, 0.305);
        // Away from the truth the profile rises: beta is identified by three sizes.
        Assert.True(profile.Points.Single(p => p.Beta == 0.12).Objective > 100 * lowest.Objective + 1e-12);
        // The option routes the fitter's free-beta path through the profile.
        var routed = JointLawFitter.Fit(curves, Options with { ProfileOffsetExponent = true });
        Assert.Equal(fit.Objective, routed.Objective);
        Assert.Equal(fit.Parameters[JointLaw.Beta], routed.Parameters[JointLaw.Beta]);
        // Its law keeps the caller's options (a refit profiles again).
        Assert.True(((JointLaw)routed.Law).Options.ProfileOffsetExponent);
    }

    [Fact]
    public void The_profiles_minimum_is_at_most_each_grid_points_fit_and_the_plain_search()
    {
        var curves = Curves(0.30, 2e-3);
        var profile = new OffsetExponentProfile(curves, Options);
        var fit = profile.Minimize();
        Assert.True(fit.Objective > 0);
        foreach (double b in OffsetExponentProfile.Grid)
        {
            // The plain fit at each grid beta (today's fit with beta given): the profile's point there starts from the same seeds and only
            // restarts, so it cannot be higher beyond the fitter's Huber weights, which carry from one evaluation to the next and so move
            // the objective at one point by about 1e-11 of it with the search's path (hence the 1e-9).
            double plainAt = JointLawFitter.Fit(curves, Options with { OffsetExponent = b }).Objective;
            double point = profile.Points.Single(p => p.Beta == b).Objective;
            Assert.True(point <= plainAt * (1 + 1e-9), $"beta {b}: profile {point} > plain fit {plainAt}");
            Assert.True(fit.Objective <= point, $"beta {b}: minimum {fit.Objective} > point {point}");
        }
        Assert.True(fit.Objective <= JointLawFitter.Fit(curves, Options).Objective);
        Assert.All(profile.Points, p => Assert.True(fit.Objective <= p.Objective));
    }
}
