using System.Globalization;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// OptLaw on long curves (issue 12; docs/VALIDATION.md, "OptLaw on long curves and the contour at 2.3M steps"): the fit's coarse
/// first stage on every k-th point, then all points (below its thresholds the fit of before bit for bit), and the contour's
/// column path <see cref="OptLaw.PredictFinalScaled"/> against <see cref="OptLaw.Predict"/> on every cell, for laws fitted on real
/// curves: the shipped 25M MPL curves (fitted here), the three PolyPythias curves and the fairseq 13B log (the parameters of
/// their fits by 96384d8's `fit --law optlaw`, benchmarks/foreign-usage/longcurves.sh).
/// </summary>
public sealed class OptLawLongCurveTests
{
    /// <summary>The shipped 25M MPL curves (cosine_24000, constant_24000, wsdcon_9), all their points.</summary>
    private static FitTarget[] Targets() => OptLawProjectionTests.Targets();

    // The one-stage fit of the three MPL curves, shared by the tests (about 450 evaluations on 437 rows).
    private static readonly Lazy<LawFit> MplFit = new(() => new OptLaw().Fit(Targets(), new FitOptions { CoarsePoints = 0 }));

    /// <summary>PolyPythias 14M/70M/160M (143,000 points each): L0, A, alpha, s_w, p, the 11 noise weights.</summary>
    private static readonly double[] Pythia = [2.4171973466771424, 174795.917799339, 5.7748337639637635, 7.260292000199191, 2.972162936621392, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1280.8337422481475];

    /// <summary>The fairseq 13B log (ten updates; the law run.sh's contour cell uses).</summary>
    private static readonly double[] Fairseq = [-71.98064147868415, 5.710755014049103e-31, 19.9999944608527, 0.024663906080048047, 0.05007498481725543, 11309.680655143684, 0, 0, 0, 0, 0, 0, 0, 0, 0, 427605079.54305196];

    [Fact]
    public void Below_the_thresholds_the_fit_is_the_fit_of_before_bit_for_bit()
    {
        // 437 rows, under FitOptions.CoarseMinPoints: the declared budget (2,000) is the one-stage fit, as is the default (off).
        var byDefault = new OptLaw().Fit(Targets(), new FitOptions { CoarsePoints = FitOptions.DeclaredCoarsePoints });
        StagedFits.SameFit(MplFit.Value, byDefault);
        byDefault = new OptLaw().Fit(Targets(), new FitOptions());
        StagedFits.SameFit(MplFit.Value, byDefault);
    }

    [Fact]
    public void The_coarse_first_stage_ends_where_the_fit_on_every_point_does()
    {
        // Every 5th point (CoarsePoints 40: k = ceil(171 / 40) = 5), the row threshold lowered to 0: the declared tolerance of the
        // section's rule, objective at most (1 + 1e-6) x the one-stage fit's, alpha and p within 1e-3 relative.
        var law = new OptLaw();
        var one = MplFit.Value;
        var two = law.Fit(Targets(), new FitOptions { CoarsePoints = 40 }, FitOptions.SubsetMinCurves, FitOptions.SubsetMinPoints, coarseMinPoints: 0);
        Assert.Contains("first on every 5th point, then on all", two.StopReason);
        Assert.True(two.Objective <= one.Objective * (1 + 1e-6), $"{two.Objective:R} against {one.Objective:R}");
        Assert.True(Math.Abs(two.Parameters[OptLaw.Alpha] / one.Parameters[OptLaw.Alpha] - 1) <= 1e-3, "alpha");
        Assert.True(Math.Abs(two.Parameters[OptLaw.Power] / one.Parameters[OptLaw.Power] - 1) <= 1e-3, "p");
    }

    public static TheoryData<string> Laws => ["mpl", "pythia", "fairseq", "escape"];

    [Theory]
    [MemberData(nameof(Laws))]
    public void A_column_of_one_shape_equals_Predict_on_every_cell(string which)
    {
        OptLaw law = which == "escape" ? new OptLaw(OptLaw.DefaultLags, [1e-4, 1e-3]) : new OptLaw();
        double[] p = which switch
        {
            "pythia" => Pythia,
            "fairseq" => Fairseq,
            "mpl" => MplFit.Value.Parameters,
            // The MPL fit with every noise weight on and two escape features (the escape path).
            _ => [.. MplFit.Value.Parameters.Select((v, k) => k >= OptLaw.FirstWeight ? 1e-3 * (k - 3) : v), -0.5, -2.0],
        };
        double[] peaks = [1e-5, 3.7e-5, 1e-4, 3e-4, 6e-4, 1e-3, 2.5e-3];
        const int steps = 6000;
        foreach (var (family, warmup) in new[] { ("cosine", 12), ("cosine", 1800), ("linear", 300), ("wsd", 60), ("constant", 5) })
        {
            var shape = Shape(family, 1, steps, warmup).Evaluate();
            var columns = law.PredictFinalScaled(p, shape, peaks);
            for (int i = 0; i < peaks.Length; i++)
            {
                var y = new double[1];
                law.Predict(p, new ScheduleHistory(Shape(family, peaks[i], steps, warmup).Evaluate()), [steps], y);
                Assert.True(Math.Abs(columns[i] - y[0]) <= 1e-12 * Math.Abs(y[0]), $"{which} {family} warmup {warmup} peak {peaks[i]}: {columns[i]:R} against {y[0]:R}");
            }
        }
    }

    [Fact]
    public void A_column_refuses_a_negative_shape_and_a_non_positive_factor()
    {
        var law = new OptLaw();
        Assert.Throws<ArgumentException>(() => law.PredictFinalScaled(Pythia, [1, -1], [1e-3]));
        Assert.Throws<ArgumentException>(() => law.PredictFinalScaled(Pythia, [1, 1], [0]));
    }

    /// <summary>
    /// The family's schedule, floor 10% of the peak, WSD cooldown 20% (the core's builder, <see cref="CandidateGrid.TryBuild(string, double, int, int, double, double)"/>;
    /// the contour's own builder, ContourCommand.Make, is checked on this path in HyperLaws.Cli.Tests' ContourCommandTests).
    /// </summary>
    private static LrSchedule Shape(string family, double peak, int steps, int warmup) => CandidateGrid.TryBuild(family, peak, steps, warmup, 0.2, 0.1)!;
}
