using System.Globalization;
using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's fit by variable projection (SeparableFitter): its basis is the law's prediction taken apart, and the fit reaches
/// the objective of the Levenberg-Marquardt fit over all seven parameters (LawFitter's default) or a lower one, on the
/// published runs and on synthetic ones; its starts side by side give the fit made in sequence.
/// </summary>
public sealed class SeparableFitterTests
{
    private static readonly FitOptions Joint = new();
    private static readonly FitOptions Projected = new() { VariableProjection = true };

    [Fact]
    public void Mpl_basis_times_its_linear_parameters_is_the_prediction_and_its_gradient() =>
        ForAll(Gen.Select(Gen.Int[500, 6000], Gen.Double[0.05, 0.6], Gen.Int[1, 3], Gen.Int[0, 2]), t =>
        {
            var (steps, cooldown, every, which) = t;
            var law = new MultiPowerLaw();
            var history = new ScheduleHistory(SyntheticCurves.Wsd(steps, cooldown));
            int[] at = [.. Enumerable.Range(1, steps / (10 * every)).Select(k => k * 10 * every)];
            double[] p = which switch { 0 => MultiPowerLaw.Published["25M"], 1 => MultiPowerLaw.Published["400M"], _ => [2.5, 0.7, 0.4, 900, 0.05, 2.6, 0.55] };
            var (y, g) = (new double[at.Length], new double[at.Length * 7]);
            law.PredictWithGradient(p, history, at, y, g);
            var (basis, dBasis) = (new double[at.Length * 3], new double[at.Length * 12]);
            law.Basis(p, history, at, basis, dBasis);
            for (int i = 0; i < at.Length; i++)
            {
                double sum = p[0] * basis[3 * i] + p[1] * basis[3 * i + 1] + p[3] * basis[3 * i + 2];
                Near(y[i], sum, 1e-13, "prediction");
                // d L / d (L0, A, B) are the basis; d L / d (alpha, C, beta, gamma) = sum_j c_j d g_j / d q_k.
                Assert.Equal(g[i * 7 + MultiPowerLaw.L0], basis[3 * i]);
                Assert.Equal(g[i * 7 + MultiPowerLaw.A], basis[3 * i + 1]);
                Assert.Equal(g[i * 7 + MultiPowerLaw.B], basis[3 * i + 2]);
                int[] nonlinear = [MultiPowerLaw.Alpha, MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma];
                for (int k = 0; k < 4; k++)
                {
                    double d = p[0] * dBasis[12 * i + k] + p[1] * dBasis[12 * i + 4 + k] + p[3] * dBasis[12 * i + 8 + k];
                    double expected = g[i * 7 + nonlinear[k]];
                    Assert.True(Math.Abs(d - expected) <= 1e-13 * Math.Abs(expected) + 1e-300, $"derivative {k}: {d} against {expected}");
                }
            }
        }, iterations: 20);

    /// <summary>Protocol 1's training curves of one size: cosine_24000, constant_24000 and wsdcon_9 before step 24000.</summary>
    internal static List<FitTarget> Protocol1(string size)
    {
        (string File, string Spec)[] runs =
        [
            ("cosine_24000.csv", "cosine(peak=3e-4,steps=24000,warmup=2160,floor=3e-5)"),
            ("constant_24000.csv", "constant(peak=3e-4,steps=24000,warmup=2160)"),
            ("wsdcon_9.csv", "multistep(peak=3e-4,steps=24000,warmup=2160,milestones=[8000],values=[9e-5])"),
        ];
        return [.. runs.Select(r =>
        {
            var rows = File.ReadAllLines(Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_" + size, r.File)).Skip(1)
                .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(','))
                .Select(c => (Step: int.Parse(c[0], CultureInfo.InvariantCulture), Loss: double.Parse(c[2], CultureInfo.InvariantCulture)))
                .Where(o => o.Step < 24000).ToArray();
            return new FitTarget(r.File, new ScheduleHistory(LrSchedule.Parse(r.Spec).Evaluate()), [.. rows.Select(o => o.Step)], [.. rows.Select(o => o.Loss)]);
        })];
    }

    [Theory]
    [InlineData("25")]
    [InlineData("100")]
    public void On_the_published_runs_it_reaches_the_joint_fits_optimum(string size)
    {
        var law = new MultiPowerLaw();
        var curves = Protocol1(size);
        var joint = LawFitter.Fit(law, curves, Joint);
        var projected = LawFitter.Fit(law, curves, Projected);
        // The same objective or lower (to 1e-9 relative: both stop on a relative change of 1e-10), and the same optimum:
        // L0, A and alpha to 1e-4 relative; the drop's parameters, less well determined, to 1e-3.
        Assert.True(projected.Objective <= joint.Objective * (1 + 1e-9), $"{projected.Objective} against {joint.Objective}");
        for (int j = 0; j < 7; j++)
            Near(joint.Parameters[j], projected.Parameters[j], j <= MultiPowerLaw.Alpha ? 1e-4 : 1e-3, law.ParameterNames[j]);
        Assert.True(projected.Converged);
        Assert.True(projected.Evaluations < joint.Evaluations, $"{projected.Evaluations} evaluations against {joint.Evaluations}");
    }

    [Fact]
    public void On_synthetic_runs_it_is_at_least_as_good_as_the_joint_fit_and_its_amplitudes_are_the_best_for_its_shape() =>
        ForAll(Gen.Select(Gen.Int[3000, 8000], Gen.Double[0.1, 0.5], Gen.Int[0, 1000]), t =>
        {
            var (steps, cooldown, seed) = t;
            // Summed exactly (tolerance 0), so the prediction does not depend on B through the tree's choice of nodes.
            var law = new MultiPowerLaw(tolerance: 0);
            var truth = MultiPowerLaw.Published["100M"];
            FitTarget[] curves = [SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(steps, cooldown), "wsd", 0.002, seed, points: 80),
                                  SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(steps / 2, 0.05), "short", 0.002, seed + 1, points: 40)];
            var joint = LawFitter.Fit(law, curves, Joint);
            var projected = LawFitter.Fit(law, curves, Projected);
            Assert.True(projected.Objective <= joint.Objective * (1 + 1e-6), $"{projected.Objective} against {joint.Objective}");
            Assert.True(projected.Parameters[MultiPowerLaw.A] >= 0 && projected.Parameters[MultiPowerLaw.B] >= 0);
            // No change of L0, A or B alone lowers the objective (they are solved exactly for the other four).
            foreach (int j in new[] { MultiPowerLaw.L0, MultiPowerLaw.A, MultiPowerLaw.B })
                foreach (double factor in new[] { 1 - 1e-4, 1 + 1e-4 })
                {
                    var p = (double[])projected.Parameters.Clone();
                    p[j] *= factor;
                    Assert.True(Objective(law, curves, p) >= projected.Objective * (1 - 1e-12), $"{law.ParameterNames[j]} x {factor}");
                }
        }, iterations: 4);

    /// <summary>LawFitter's objective: the mean Huber loss (delta 1e-3) of the relative residuals.</summary>
    private static double Objective(MultiPowerLaw law, IReadOnlyList<FitTarget> curves, double[] p)
    {
        double sum = 0;
        int m = 0;
        foreach (var c in curves)
        {
            var y = new double[c.Steps.Length];
            law.Predict(p, c.History, c.Steps, y);
            for (int i = 0; i < y.Length; i++)
            {
                double r = Math.Abs(y[i] / c.Loss[i] - 1);
                sum += r <= 1e-3 ? 0.5 * r * r : 1e-3 * (r - 0.5e-3);
            }
            m += y.Length;
        }
        return sum / m;
    }

    [Fact]
    public void Its_starts_side_by_side_fit_what_they_fit_in_sequence()
    {
        var law = new MultiPowerLaw();
        var truth = MultiPowerLaw.Published["25M"];
        FitTarget[] curves = [SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(4000, 0.2), "a", 0.002, 1),
                              SyntheticCurves.Curve(law, truth, SyntheticCurves.Wsd(3000, 0.5), "b", 0.002, 2)];
        var parallel = LawFitter.Fit(law, curves, Projected);
        var sequential = LawFitter.Fit(law, curves, Projected with { ParallelProbes = false });
        Assert.Equal(sequential.Parameters, parallel.Parameters);
        Assert.Equal(sequential.Objective, parallel.Objective);
        Assert.Equal(sequential.Iterations, parallel.Iterations);
        Assert.Equal(sequential.Evaluations, parallel.Evaluations);
    }
}
