using HyperLaws.Evaluation;
using HyperLaws.Laws;

namespace HyperLaws.Planning;

/// <summary>
/// A calibrated interval for the plan (<see cref="ConformalCalibration"/>, split-conformal with the width growing with the
/// extrapolation distance): predicted x (1 -+ Q (1 + g d)), d = ln H + ln S + ln L of the plan's <see cref="PlanExtrapolation"/>
/// (the horizon, size and peak-LR ratios beyond the runs; a NaN ratio counts as 1, no extrapolation known), the same distance
/// as <see cref="ExtrapolationDistance.Value"/>. The residuals come cheaply from the plan's own fits
/// (<see cref="Residuals"/>): the held-out check's predictions of the longest runs and the nested-horizon extrapolations one
/// step back (fit on the runs shorter than each other horizon, predict the runs at it); one fit on the runs cut to half
/// their steps instead when those give too few residuals.
/// </summary>
public sealed class ConformalIntervalProvider(ConformalInterval calibration, string protocol) : IIntervalProvider
{
    /// <summary>The nominal coverage of the plan's intervals.</summary>
    public const double Level = 0.9;

    /// <summary>The fraction of every run's steps the calibration's horizon fit sees.</summary>
    public const double Truncation = 0.5;

    /// <summary>Fewest residuals that calibrate an interval; with fewer the plan falls back to the held-out worst error.</summary>
    public const int MinimumResiduals = 3;

    /// <summary>The split-conformal calibration: the quantile Q and growth g of the width Q (1 + g d) at <see cref="Level"/>.</summary>
    public ConformalInterval Calibration { get; } = calibration ?? throw new ArgumentNullException(nameof(calibration));

    /// <summary>How the residuals were made, in words.</summary>
    public string Protocol { get; } = protocol ?? "";

    /// <inheritdoc/>
    public IntervalKind Kind => IntervalKind.Conformal;

    /// <summary>d = ln H + ln S + ln L (NaN ratios count as 1).</summary>
    public static double Distance(PlanExtrapolation extrapolation)
    {
        ArgumentNullException.ThrowIfNull(extrapolation);
        static double Ln(double r) => double.IsFinite(r) && r > 0 ? Math.Max(0, Math.Log(r)) : 0;
        return Ln(extrapolation.HorizonRatio) + Ln(extrapolation.SizeRatio) + Ln(extrapolation.LrRatio);
    }

    /// <summary>
    /// The interval around <paramref name="predictedLoss"/> at the plan's extrapolation distance d = <see cref="Distance"/>:
    /// predicted x (1 -+ Q (1 + g d)) (signed: [1 + q_lo (1 + g d), 1 + q_hi (1 + g d)]), the lower end kept at or above 0 (<see cref="ConformalInterval.Bounds(double, double, double)"/>);
    /// with a shape growth g_s (<see cref="PlanOptions.ShapeIntervals"/>) w = 1 + g d + g_s D, D = <see cref="PlanExtrapolation.Shape"/>;
    /// with a size growth g_N (<see cref="PlanOptions.SizeIntervals"/>) w = 1 + g d' + g_N s, s = ln S and d' = ln H + ln L;
    /// <see cref="LossInterval.None"/> for a non-finite prediction.
    /// </summary>
    public LossInterval Interval(double predictedLoss, PlanExtrapolation extrapolation)
    {
        if (!double.IsFinite(predictedLoss)) return LossInterval.None;
        // The shape term g_s D is 0 unless the calibration has a shape growth (PlanOptions.ShapeIntervals) and the plan's D was measured.
        // With a size growth (PlanOptions.SizeIntervals) s = ln S has its own term and leaves d.
        double d = Distance(extrapolation), s = 0;
        if (Calibration.SizeSeparate)
        {
            s = double.IsFinite(extrapolation.SizeRatio) && extrapolation.SizeRatio > 0 ? Math.Max(0, Math.Log(extrapolation.SizeRatio)) : 0;
            d = Distance(extrapolation with { SizeRatio = 1 });
        }
        var (lower, upper) = Calibration.Bounds(predictedLoss, d, extrapolation.Shape, s);
        return new LossInterval(lower, upper, Calibration.Level);
    }

    /// <summary>
    /// Calibration residuals from a final-loss predictor: <paramref name="heldOut"/> (predicted, actual) of the plan's held-out
    /// check (fitted on <paramref name="fitOn"/>) and, with <paramref name="fit"/>:
    /// <list type="bullet">
    /// <item><paramref name="nestedHorizons"/> (the default, docs/VALIDATION.md "Protocol 9, third round"): the plan's own horizon
    /// extrapolation one step back, within the runs: for each horizon of <paramref name="training"/> above the shortest whose runs
    /// the held-out check did not already predict, fit on the runs of shorter horizons and predict the final losses of the runs at
    /// it (split "nested"). Why: protocol 9's variant A (second round) showed on protocol 6 that these residuals, which make the
    /// targets' own kind of extrapolation, give intervals half as wide as the first-half fit's for the joint law and inside the
    /// 80-95% target for tissue; the first-half fit cuts a WSD run to its stable phase, so its residuals show a cooldown the fit never saw.
    /// When these and the held-out check give fewer than <see cref="MinimumResiduals"/> residuals (e.g. runs of one horizon), the
    /// earlier rule stands instead: the nested residuals are dropped and the first-half fit is used.</item>
    /// <item>otherwise (the earlier rule): one fit on every curve cut to <see cref="Truncation"/> of its steps predicting each curve's
    /// final loss (<see cref="ConformalCalibration.Residuals"/> with no leave-out groups).</item>
    /// </list>
    /// </summary>
    public static List<CalibrationResidual> Residuals(IReadOnlyList<FitTarget> training, Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>>? fit,
        IReadOnlyList<FitTarget> fitOn, IReadOnlyList<(FitTarget Curve, double Predicted)> heldOut, bool nestedHorizons = true)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(fitOn);
        ArgumentNullException.ThrowIfNull(heldOut);
        var result = new List<CalibrationResidual>();
        if (fitOn.Count > 0)
            foreach (var (t, p) in heldOut)
                if (double.IsFinite(p) && p > 0)
                    result.Add(new CalibrationResidual(t.Name, "held-out", p, t.Loss[^1], ExtrapolationDistance.Of(t, fitOn)));
        if (fit is null) return result;
        if (nestedHorizons)
        {
            var predicted = fitOn.Count > 0 ? heldOut.Select(h => h.Curve.Name).ToHashSet(StringComparer.Ordinal) : [];
            var levels = training.Select(t => t.History.Steps).Distinct().Order().ToList();
            foreach (int level in levels.Skip(1))
            {
                var at = training.Where(t => t.History.Steps == level && !predicted.Contains(t.Name)).ToList();
                var below = training.Where(t => t.History.Steps < level).ToList();
                if (at.Count == 0 || below.Count == 0) continue;
                var predict = fit(below);
                foreach (var t in at)
                {
                    double p = predict(t);
                    if (double.IsFinite(p) && p > 0) result.Add(new CalibrationResidual(t.Name, "nested", p, t.Loss[^1], ExtrapolationDistance.Of(t, below)));
                }
            }
            if (result.Count >= MinimumResiduals) return result;
            // Too few: the earlier rule instead (the nested residuals dropped), so that runs too few to calibrate on stay so.
            result.RemoveAll(r => r.Split == "nested");
        }
        result.AddRange(ConformalCalibration.Residuals(training, fit, group: _ => "all", truncations: [Truncation]));
        return result;
    }

    /// <summary>
    /// The truncation fraction of the pseudo horizon step for a plan whose horizon is <paramref name="ratio"/> times the longest run's:
    /// f = 1 / R, held at or above <see cref="Truncation"/> (a run cut shorter shows too little of its shape); NaN when the plan does not
    /// extrapolate in horizon (R not above 1, or not a number).
    /// </summary>
    public static double PseudoStepFraction(double ratio) => double.IsFinite(ratio) && ratio > 1 ? Math.Max(Truncation, 1 / ratio) : double.NaN;

    /// <summary>
    /// The residuals of the pseudo horizon step (variant P, docs/VALIDATION.md "Intervals: a pseudo horizon step when the runs have one"):
    /// one fit on <paramref name="fitOn"/> (the runs the held-out check was fitted on), each cut to <paramref name="fraction"/> of its steps
    /// (<see cref="ConformalCalibration.Truncate"/>), predicting each one's last logged loss (split <see cref="HorizonBias.PseudoSplit"/>;
    /// distance ln(1 / f) in horizon, as <see cref="ExtrapolationDistance.Of(FitTarget, IReadOnlyList{FitTarget})"/> measures it). Runs named in <paramref name="exclude"/> (those
    /// with a real horizon residual) are left out, so that each run has one horizon residual. Empty when no run is left.
    /// </summary>
    public static List<CalibrationResidual> PseudoStep(IReadOnlyList<FitTarget> fitOn, Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> fit, double fraction,
        IReadOnlySet<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(fitOn);
        ArgumentNullException.ThrowIfNull(fit);
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the pseudo step's fraction must be between 0 and 1.");
        var runs = fitOn.Where(t => exclude is null || !exclude.Contains(t.Name)).ToList();
        if (runs.Count == 0) return [];
        return [.. ConformalCalibration.Residuals(runs, fit, group: _ => "all", truncations: [fraction]).Select(r => r with { Split = HorizonBias.PseudoSplit })];
    }

    /// <summary>
    /// The provider calibrated on <paramref name="residuals"/>, or null when there are fewer than <see cref="MinimumResiduals"/>.
    /// With <paramref name="signed"/>, the two-tailed interval of <see cref="ConformalCalibration.Signed"/> (docs/VALIDATION.md
    /// "Protocol 9, fourth round"): predicted x [1 + q_lo (1 + g d), 1 + q_hi (1 + g d)].
    /// With <paramref name="finiteSample"/> (which takes precedence), the finite-sample tiers of <see cref="ConformalCalibration.FiniteSample"/>
    /// (docs/VALIDATION.md "The planner's interval with few residuals"): two exact tails with enough residuals, the exact symmetric
    /// quantile with fewer, a stated normal-theory bound with too few for any exact rank.
    /// With <paramref name="aboutCorrected"/> (variant K's corrected centre, docs/VALIDATION.md "Intervals: the tails chosen by the centre";
    /// the residuals must then be those about the corrected prediction; <paramref name="finiteSample"/> and <paramref name="signed"/> take
    /// precedence), the symmetric finite-sample interval of <see cref="ConformalCalibration.FiniteSampleSymmetric"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="shape"/> (variant W, docs/VALIDATION.md "Intervals widened by the schedule-shape distance"): the growths g and g_s of
    /// <see cref="ConformalCalibration.CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/> (each residual's shape distance D_i
    /// read; g_s at its prior where the residuals show no shape extrapolation), so that every rule's scores are r_i / (1 + g d_i + g_s D_i)
    /// and the width at a plan 1 + g d + g_s D.
    /// </remarks>
    /// <remarks>
    /// <paramref name="size"/> (variant N, docs/VALIDATION.md "Intervals widened by the size-extrapolation distance"): the growths g, g_N (and
    /// g_s with <paramref name="shape"/>) of <see cref="ConformalCalibration.CalibrateSize"/>, every rule's scores r_i / (1 + g d'_i + g_N s_i).
    /// </remarks>
    public static ConformalIntervalProvider? TryCalibrate(IReadOnlyList<CalibrationResidual> residuals, string protocol, bool signed = false, bool finiteSample = false,
        bool aboutCorrected = false, bool shape = false, bool size = false)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (residuals.Count < MinimumResiduals) return null;
        var interval = size ? ConformalCalibration.CalibrateSize(residuals, Level, shape)
            : shape ? ConformalCalibration.CalibrateShape(residuals, Level) : ConformalCalibration.Calibrate(residuals, Level);
        var calibration = finiteSample ? ConformalCalibration.FiniteSample(interval, residuals)
            : signed ? ConformalCalibration.Signed(interval, residuals)
            : aboutCorrected ? ConformalCalibration.FiniteSampleSymmetric(interval, residuals)
            : interval;
        return new ConformalIntervalProvider(calibration, protocol);
    }

    /// <summary>
    /// The planner's interval from its calibration residuals and their horizon bias, by the options' rule: <paramref name="finiteSample"/>
    /// (variant F) or <paramref name="signed"/> on the residuals about the corrected prediction when <paramref name="correct"/>;
    /// <paramref name="centred"/> (variant K, docs/VALIDATION.md "Intervals: the tails chosen by the centre"): when the centre is corrected
    /// (<paramref name="correct"/> and at least <see cref="HorizonBias.MinimumResiduals"/> horizon residuals) the symmetric finite-sample
    /// interval of the residuals about the corrected prediction, else variant F on the residuals as they are; none of them: the symmetric
    /// interval of the residuals about the law's own prediction. Null with fewer than <see cref="MinimumResiduals"/> residuals.
    /// </summary>
    /// <remarks>
    /// <paramref name="crossStep"/> (variant X, docs/VALIDATION.md "Intervals: residuals corrected across horizon steps";
    /// <paramref name="centred"/> takes precedence): when the centre is corrected and the horizon residuals span two steps or more, the
    /// symmetric finite-sample interval of the residuals corrected by the other steps' bias (<see cref="HorizonBias.AboutOtherSteps"/>);
    /// with one step the symmetric interval of the residuals about the law's own prediction (the change of the bias between steps cannot
    /// be measured, so it is taken to be as large as the bias); with no correction variant F.
    /// </remarks>
    /// <remarks>
    /// <paramref name="pseudoStep"/> (variant P, docs/VALIDATION.md "Intervals: a pseudo horizon step when the runs have one"; with
    /// <paramref name="crossStep"/>): where variant X has one horizon step, called once for the residuals of the real step together with
    /// those of a pseudo step (<see cref="PseudoStep"/>) and their bias (<see cref="HorizonBias.WithPseudoStep"/>); X's two-step rule is
    /// then applied to them. Null, or a null answer: X unchanged.
    /// </remarks>
    /// <remarks>
    /// <paramref name="shape"/> (variant W, <see cref="PlanOptions.ShapeIntervals"/>; docs/VALIDATION.md "Intervals widened by the
    /// schedule-shape distance"): every rule above on the scores scaled by the residuals' own shape distances, the width growing with the
    /// plan's (<see cref="TryCalibrate"/>'s <c>shape</c>); <paramref name="size"/> (variant N, <see cref="PlanOptions.SizeIntervals"/>) alike
    /// with the size distance (<see cref="TryCalibrate"/>'s <c>size</c>).
    /// </remarks>
    public static ConformalIntervalProvider? ForPlan(IReadOnlyList<CalibrationResidual> residuals, HorizonBias bias, string protocol, bool correct,
        bool signed = false, bool finiteSample = false, bool centred = false, bool crossStep = false,
        Func<(IReadOnlyList<CalibrationResidual> Residuals, HorizonBias Bias)?>? pseudoStep = null, bool shape = false, bool size = false)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        ArgumentNullException.ThrowIfNull(bias);
        if (finiteSample || signed)
            return TryCalibrate(correct ? bias.AboutCorrected(residuals) : residuals, protocol, signed, finiteSample, shape: shape, size: size);
        if (!centred && !crossStep) return TryCalibrate(residuals, protocol, shape: shape, size: size);
        bool corrected = correct && bias.Residuals.Count >= HorizonBias.MinimumResiduals;
        if (!corrected) return TryCalibrate(residuals, protocol, finiteSample: true, shape: shape, size: size);
        if (centred) return TryCalibrate(bias.AboutCorrected(residuals), protocol, aboutCorrected: true, shape: shape, size: size);
        if (bias.AboutOtherSteps(residuals) is not { } across)
        {
            if (pseudoStep?.Invoke() is { } made && made.Bias.AboutOtherSteps(made.Residuals) is { } withPseudo
                && TryCalibrate(withPseudo, protocol, aboutCorrected: true, shape: shape, size: size) is { } pseudo)
                return new ConformalIntervalProvider(pseudo.Calibration with { CrossStep = true, PseudoStep = true },
                    protocol + FormattableString.Invariant($"; with a pseudo horizon step of {made.Residuals.Count(r => r.Split == HorizonBias.PseudoSplit)} runs cut to 1 / R of their steps"));
            return TryCalibrate(residuals, protocol, shape: shape, size: size);
        }
        return TryCalibrate(across, protocol, aboutCorrected: true, shape: shape, size: size) is { } p ? new ConformalIntervalProvider(p.Calibration with { CrossStep = true }, protocol) : null;
    }
}
