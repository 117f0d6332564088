using System.Diagnostics;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Readers;
using HyperLaws.Runs;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 9 of shared/docs/validation.md: the share of held-out final losses inside the 90% interval of
/// <see cref="ConformalCalibration"/>, and the interval's width against the extrapolation distance, on the
/// splits of protocols 2, 3 and 6. Declared before scoring (docs/VALIDATION.md, "Protocol 9"):
/// <list type="bullet">
/// <item>Calibration uses the training runs of each split only: leave one curve out (protocol 2: one
/// schedule, both sizes, so a fold costs one fit instead of two) and a fit on the first half of every
/// training curve predicting its final loss (horizon ratio 2).</item>
/// <item>Protocol 2: the size law of its headline (every parameter a power law in N, offset exponent 0.34),
/// fitted on the 18 curves of 25M and 100M; targets: the last logged loss of the nine 400M curves.</item>
/// <item>Protocol 3: protocol 3's split (constant runs + linear cooldown 0.2 train, the rest held out), one
/// law pooled over the LRs, fitted on the training runs' validation curves (cooldown runs after their last
/// peak step, as in protocol 3); targets: the last validation point of each held-out run (not
/// history.final-val, which protocol 3 reaches through a per-LR offset this component does not have).</item>
/// <item>Protocol 6 (final-loss part): for H = 35000 and 50000, fit on every stable run shorter than H
/// (validation curves), predict the last validation point of every stable run at H.</item>
/// </list>
/// Second round (docs/VALIDATION.md, "Protocol 9, second round"): the joint law on protocol 2 with its own size terms; protocol 2
/// also with a size term calibrated on the Chinchilla/Porian tables (<see cref="SizePriors"/>); protocol 6 also with
/// nested-horizon residuals in place of the first-half fit (variant A).
/// Third round (docs/VALIDATION.md, "Protocol 9, third round"): rows "shape" add leave-one-schedule-shape-out residuals and a
/// width growing with the schedule-shape distance (<see cref="ScheduleShape"/>, <see cref="ConformalCalibration.CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/>);
/// protocol 2 also with the size term of the matched tables (variant C, <see cref="MatchedTable"/>).
/// Fourth round (docs/VALIDATION.md, "Protocol 9, fourth round"): every row also signed (<see cref="WithSigned"/>): two one-sided
/// conformal tails of the signed scores instead of one quantile of |r|, on the same fits.
/// </summary>
public static class IntervalCoverage
{
    /// <summary>The protocols whose held-out final losses get calibrated intervals.</summary>
    public static IReadOnlyList<int> Protocols { get; } = [2, 3, 6];

    /// <summary>The truncation fraction of the horizon residuals.</summary>
    public const double Truncation = 0.5;

    /// <summary>Calibrates on <paramref name="train"/> and scores the intervals of <paramref name="test"/>'s final losses.</summary>
    /// <param name="sizeTerm">The size term (<see cref="ConformalInterval.SizeQuantile"/>) from other runs; null: none, the size ratio enters d.</param>
    public static IntervalCoverageResult Run(string protocol, string lawName, Func<IFittableLaw> law, IReadOnlyList<FitTarget> train, IReadOnlyList<FitTarget> test,
        double level = 0.9, Func<FitTarget, string>? group = null, Action<string>? progress = null, SizeTermPrior? sizeTerm = null) =>
        RunWithShape(protocol, lawName, law, train, test, level, group, progress, sizeTerm, shape: false)[0];

    /// <summary>
    /// <see cref="Run"/>, and with <paramref name="shape"/> a second result on the same fits (protocol "P (shape)", docs/VALIDATION.md
    /// "Protocol 9, third round"): the residuals of <see cref="Run"/> plus leave-one-schedule-shape-out residuals, calibrated with
    /// the shape growth (<see cref="ConformalCalibration.CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/>).
    /// </summary>
    public static IReadOnlyList<IntervalCoverageResult> RunWithShape(string protocol, string lawName, Func<IFittableLaw> law, IReadOnlyList<FitTarget> train, IReadOnlyList<FitTarget> test,
        double level = 0.9, Func<FitTarget, string>? group = null, Action<string>? progress = null, SizeTermPrior? sizeTerm = null, bool shape = true)
    {
        ArgumentNullException.ThrowIfNull(law);
        if (train.Count == 0 || test.Count == 0) throw new ArgumentException($"protocol {protocol}: nothing to fit on or nothing held out.");
        var clock = Stopwatch.StartNew();
        var predictor = ConformalCalibration.FinalLoss(law());
        void Say(string m) => progress?.Invoke($"{lawName} [{protocol}] {m}");
        var residuals = ConformalCalibration.Residuals(train, predictor, group, [Truncation], Say);
        var shapeOut = shape ? ConformalCalibration.Residuals(train, predictor, _ => "all", [], Say, shapeOut: true) : [];
        progress?.Invoke($"{lawName} [{protocol}]: fitting on all {train.Count} training curves");
        var predictions = Predictions(predictor(train), test);
        double seconds = clock.Elapsed.TotalSeconds;
        var results = new List<IntervalCoverageResult> { Score(protocol, lawName, train, predictions, residuals, level, sizeTerm, seconds) };
        if (shape) results.Add(Score($"{protocol} (shape)", lawName, train, predictions, [.. residuals, .. shapeOut], level, sizeTerm, seconds, withShape: true));
        return results;
    }

    private static List<(FitTarget Target, double Predicted)> Predictions(Func<FitTarget, double> predict, IReadOnlyList<FitTarget> test) =>
        [.. test.Select(t => (t, predict(t)))];

    /// <summary>The interval calibrated on <paramref name="residuals"/> and the held-out final losses inside it.</summary>
    private static IntervalCoverageResult Score(string protocol, string lawName, IReadOnlyList<FitTarget> train, IReadOnlyList<(FitTarget Target, double Predicted)> predictions,
        IReadOnlyList<CalibrationResidual> residuals, double level, SizeTermPrior? sizeTerm, double seconds, bool withShape = false)
    {
        var interval = (withShape ? ConformalCalibration.CalibrateShape(residuals, level) : ConformalCalibration.Calibrate(residuals, level)) with { SizeQuantile = sizeTerm?.Quantile ?? 0 };
        var held = new List<HeldOutInterval>();
        foreach (var (t, p) in predictions)
        {
            var d = ExtrapolationDistance.Of(t, train);
            var (lo, hi) = double.IsFinite(p) ? interval.Bounds(p, d) : (double.NaN, double.NaN);
            held.Add(new HeldOutInterval(t.Name, p, t.Loss[^1], lo, hi, d));
        }
        return new IntervalCoverageResult(protocol, lawName, interval, residuals, held, seconds) { SizeTerm = sizeTerm };
    }

    /// <summary>
    /// Protocol 2's split with the headline size law (the joint law: its own size terms with beta fitted on the Chinchilla runs,
    /// <see cref="CrossSize.JointSizeExponents"/>'s headline): first without a size term, then one result per size term (the same
    /// predictions and calibration with the term added), protocol "2 (size term, VARIANT)".
    /// </summary>
    /// <param name="sizeTerms">The size terms, one result each; null: <see cref="SizePriors"/> from <paramref name="dataRoot"/>.</param>
    public static IReadOnlyList<IntervalCoverageResult> Protocol2(string dataRoot, string law, double level = 0.9, Action<string>? progress = null, IReadOnlyList<SizeTermPrior>? sizeTerms = null)
    {
        var train = CrossSize.TrainTargets(dataRoot);
        var test = CrossSize.TestTargets(dataRoot);
        Func<IFittableLaw> create;
        if (string.Equals(law, "joint", StringComparison.OrdinalIgnoreCase))
        {
            double beta = CrossSize.JointSizeExponents(dataRoot, progress)[0].Beta;
            create = () => new JointLaw(new JointFitOptions { OffsetExponent = beta });
        }
        else
        {
            var v = CrossSize.Variants[0];
            double reference = SizeLawSpec.CentreOf(train);
            create = () => SizedLaw.Create(LawCatalog.Create(law), new SizeLawSpec(reference, v.Scaling, v.OffsetExponent));
        }
        // Leaving one schedule out is leaving one shape out here (the nine schedules differ): the shape calibration needs no extra fit.
        var plain = Run("2", law, create, train, test, level, t => t.Name.Split('@')[0], progress);
        // Variant N's residuals that extrapolate in size: none here (two training sizes; a fit needs two below the size it predicts).
        var sizeNested = ConformalCalibration.SizeNested(train, ConformalCalibration.FinalLoss(create()), m => progress?.Invoke($"{law} [2] {m}"));
        var shaped = plain with { Protocol = "2 (shape)", Interval = ConformalCalibration.CalibrateShape(plain.Residuals, level) };
        shaped = shaped with { HeldOut = WithSizeTerm(shaped, shaped.Interval) };
        var results = new List<IntervalCoverageResult> { plain, shaped };
        foreach (var sizeTerm in sizeTerms ?? SizePriors(dataRoot, level, progress))
        {
            // The same calibration residuals and predictions with the size term added (no refit).
            foreach (var basis in sizeTerm.Variant.StartsWith("matched", StringComparison.Ordinal) ? new[] { plain, shaped } : [plain])
            {
                var interval = basis.Interval with { SizeQuantile = sizeTerm.Quantile };
                string name = basis == shaped ? $"2 (shape, size term {sizeTerm.Variant})" : $"2 (size term, {sizeTerm.Variant})";
                results.Add(basis with { Protocol = name, Interval = interval, HeldOut = WithSizeTerm(basis, interval), SizeTerm = sizeTerm });
            }
        }
        return WithSigned(results, sizeNested);
    }

    /// <summary>
    /// The results followed by their signed twins (docs/VALIDATION.md "Protocol 9, fourth round"): each result's residuals, growths
    /// and predictions with the signed tails of <see cref="ConformalCalibration.Signed"/> (and of its size term's residuals), protocol
    /// "P, signed". No refit.
    /// Then their finite-sample twins (docs/VALIDATION.md "The planner's interval with few residuals"): the same residuals, growths and
    /// predictions with the tiers of <see cref="ConformalCalibration.FiniteSample"/>, protocol "P, finite-sample".
    /// Then the shape-width twins (<see cref="ShapeWidth"/>) and the size-width twins (<see cref="SizeWidth"/>, with <paramref name="sizeNested"/>)
    /// of the rows without the shape and without a size term.
    /// </summary>
    public static IReadOnlyList<IntervalCoverageResult> WithSigned(IReadOnlyList<IntervalCoverageResult> results, IReadOnlyList<CalibrationResidual>? sizeNested = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plain = results.Where(r => !r.Protocol.Contains("(shape", StringComparison.Ordinal)).ToList();
        return [.. results, .. results.Select(Signed), .. results.Select(FiniteSample), .. plain.Select(ShapeWidth),
            .. plain.Where(r => r.SizeTerm is null).Select(r => SizeWidth(r, sizeNested ?? []))];
    }

    /// <summary>
    /// The size-width twin of one result (variant N, docs/VALIDATION.md "Intervals widened by the size-extrapolation distance"): where a
    /// target lies outside the fitted sizes, the result's residuals and <paramref name="sizeNested"/> (<see cref="ConformalCalibration.SizeNested"/>)
    /// calibrated with the size growth g_N (<see cref="ConformalCalibration.CalibrateSize"/>, the prior where no residual extrapolates in
    /// size), the finite-sample tiers of <see cref="ConformalCalibration.FiniteSample"/> on the scores r_i / (1 + g d'_i + g_N s_i), and each
    /// target's width 1 + g d' + g_N s (d' = ln H + ln L, s = ln S); where none does, the finite-sample twin (<see cref="FiniteSample(IntervalCoverageResult)"/>)
    /// to the last digit. Protocol "P, size-width". No table size term.
    /// </summary>
    public static IntervalCoverageResult SizeWidth(IntervalCoverageResult x, IReadOnlyList<CalibrationResidual> sizeNested)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sizeNested);
        string name = x.Protocol + ", size-width";
        if (!x.HeldOut.Any(h => h.Distance.SizeRatio > 1)) return FiniteSample(x) with { Protocol = name };
        List<CalibrationResidual> residuals = [.. x.Residuals, .. sizeNested];
        var sized = ConformalCalibration.CalibrateSize(residuals, x.Interval.Level);
        var interval = ConformalCalibration.FiniteSample(sized, residuals);
        return x with { Protocol = name, Interval = interval, Residuals = residuals, HeldOut = WithSizeTerm(x, interval), SizeTerm = null };
    }

    /// <summary>
    /// The shape-width twin of one result (variant W, docs/VALIDATION.md "Intervals widened by the schedule-shape distance"): the same
    /// residuals (no shape-out fit) and predictions, the growths g and g_s of <see cref="ConformalCalibration.CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/>
    /// (each residual's shape distance from its fit's curves read), the finite-sample tiers of <see cref="ConformalCalibration.FiniteSample"/>
    /// on the scores r_i / (1 + g d_i + g_s D_i), and each target's width 1 + g d + g_s D, D its shape distance from the training curves;
    /// the size term, where there is one, as in <see cref="FiniteSample(IntervalCoverageResult)"/>. Protocol "P, shape-width". Rows already calibrated with the
    /// shape ("P (shape)") get none (theirs is the same calibration with shape-out residuals).
    /// </summary>
    public static IntervalCoverageResult ShapeWidth(IntervalCoverageResult x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var shaped = ConformalCalibration.CalibrateShape(x.Residuals, x.Interval.Level) with { SizeQuantile = x.Interval.SizeQuantile };
        var interval = ConformalCalibration.FiniteSample(shaped, x.Residuals, x.SizeTerm?.Residuals.Select(r => (r.Relative, r.LogSizeRatio)).ToList());
        return x with { Protocol = x.Protocol + ", shape-width", Interval = interval, HeldOut = WithSizeTerm(x, interval) };
    }

    /// <summary>The finite-sample twin of one result (see <see cref="WithSigned"/>).</summary>
    public static IntervalCoverageResult FiniteSample(IntervalCoverageResult x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var interval = ConformalCalibration.FiniteSample(x.Interval, x.Residuals, x.SizeTerm?.Residuals.Select(r => (r.Relative, r.LogSizeRatio)).ToList());
        return x with { Protocol = x.Protocol + ", finite-sample", Interval = interval, HeldOut = WithSizeTerm(x, interval) };
    }

    /// <summary>The signed twin of one result (see <see cref="WithSigned"/>).</summary>
    public static IntervalCoverageResult Signed(IntervalCoverageResult x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var interval = ConformalCalibration.Signed(x.Interval, x.Residuals, x.SizeTerm?.Residuals.Select(r => (r.Relative, r.LogSizeRatio)).ToList());
        return x with { Protocol = x.Protocol + ", signed", Interval = interval, HeldOut = WithSizeTerm(x, interval) };
    }

    private static List<HeldOutInterval> WithSizeTerm(IntervalCoverageResult basis, ConformalInterval interval) =>
    [
        .. basis.HeldOut.Select(h =>
        {
            var (lo, hi) = double.IsFinite(h.Predicted) ? interval.Bounds(h.Predicted, h.Distance) : (double.NaN, double.NaN);
            return h with { Lower = lo, Upper = hi };
        }),
    ];

    /// <summary>
    /// The Porian et al. configurations of the "matched" size term (variant C, docs/VALIDATION.md "Protocol 9, third round"): the
    /// learning-rate decay matched to each run's own length (Porian's "chinchilla" decay) and standard parameter counts, the setup
    /// of protocol 2's runs and of the Chinchilla table, the two factors Porian et al. (2024) show move the size law most.
    /// </summary>
    public static bool MatchedTable(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table == "chinchilla" || table.StartsWith("porian ", StringComparison.Ordinal) && table.Contains("/chinchilla/standard/", StringComparison.Ordinal);
    }

    /// <summary>The declared size terms of protocol 2: window fits with every parameter free (first), then with alpha held at 0.34 (variant B).</summary>
    /// <remarks>Third: variant C, the alpha-0.34 window fits of the matched tables only (<see cref="MatchedTable"/>; the same residuals, no refit).</remarks>
    public static IReadOnlyList<SizeTermPrior> SizePriors(string dataRoot, double level = 0.9, Action<string>? progress = null)
    {
        var free = SizePrior(dataRoot, level, progress);
        var held = SizePrior(dataRoot, level, progress, SizeLawSpec.ChinchillaExponent);
        var matched = held.Residuals.Where(r => MatchedTable(r.Table)).ToList();
        double q = ConformalCalibration.SizeQuantile([.. matched.Select(r => (Math.Abs(r.Relative), r.LogSizeRatio))], level);
        progress?.Invoke(FormattableString.Invariant($"size term (matched tables, {held.Variant}): Q_S = {100 * q:F3}% per unit ln S from {matched.Count} size extrapolations"));
        return [free, held, new SizeTermPrior($"matched tables, {held.Variant}", q, level, matched)];
    }

    /// <summary>
    /// Protocol 2's size term (docs/VALIDATION.md, "Protocol 9, second round"): the size extrapolations of
    /// <see cref="SizeExtrapolation.Residuals"/> on the Chinchilla runs (the 5 highest losses out) and on each Porian et al.
    /// configuration, pooled; Q_S = their conformal quantile of |r| / ln S at <paramref name="level"/>.
    /// </summary>
    /// <param name="fixedAlpha">The windows' model-size exponent held at this value (variant B); null: fitted.</param>
    /// <exception cref="ValidationDataException">A table is missing under <paramref name="dataRoot"/>.</exception>
    public static SizeTermPrior SizePrior(string dataRoot, double level = 0.9, Action<string>? progress = null, double? fixedAlpha = null)
    {
        var options = new ChinchillaFitOptions(Grid: ChinchillaGrid.Coarse, FixedAlpha: fixedAlpha);
        string variant = fixedAlpha is { } a ? FormattableString.Invariant($"alpha {a:0.###}") : "free exponent";
        string chinchilla = ChinchillaFitValidation.ChinchillaFile(dataRoot), porian = ChinchillaFitValidation.PorianPointsFile(dataRoot);
        foreach (string f in new[] { chinchilla, porian })
            if (!File.Exists(f)) throw new ValidationDataException($"{f}: not found (protocol 2's size term needs analyzing-chinchilla/data and resolving-scaling-law-discrepancies/derived under --data).");
        var tables = new List<(string Name, IReadOnlyList<ScalingPoint> Runs)>
        {
            ("chinchilla", ChinchillaFitValidation.ExcludeHighestLoss(ScalingPointReader.ReadChinchillaSvg(chinchilla), 5)),
        };
        tables.AddRange(ScalingPointReader.ReadPorianPoints(porian).GroupBy(p => p.Configuration).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ("porian " + g.Key, (IReadOnlyList<ScalingPoint>)[.. g.Select(p => p.Point)])));
        var residuals = new List<SizeExtrapolationResidual>();
        foreach (var (name, runs) in tables)
        {
            progress?.Invoke($"size term ({variant}): size extrapolations of {name} ({runs.Count} runs)");
            residuals.AddRange(SizeExtrapolation.Residuals(name, runs, options: options));
        }
        double q = ConformalCalibration.SizeQuantile([.. residuals.Select(r => (Math.Abs(r.Relative), r.LogSizeRatio))], level);
        progress?.Invoke(FormattableString.Invariant($"size term ({variant}): Q_S = {100 * q:F3}% per unit ln S from {residuals.Count} size extrapolations"));
        return new SizeTermPrior(variant, q, level, residuals);
    }

    /// <summary>Protocol 3's split (training fraction 0.2), one law pooled over LRs, validation curves: the plain calibration and the same fits with the shape calibration (<see cref="RunWithShape"/>).</summary>
    public static IReadOnlyList<IntervalCoverageResult> Protocol3WithShape(IReadOnlyList<GridRun> runs, string law, double level = 0.9, Action<string>? progress = null)
    {
        var (trainRuns, heldOutRuns, _) = ScheduleGrid.Split(ScheduleGrid.Order(runs), new GridOptions().TrainFraction);
        List<FitTarget> train = [.. trainRuns.Select(r => ScheduleGrid.Target(r, LossSplit.Validation)).Where(t => t is not null).Select(t => t!)];
        var heldOut = Full(heldOutRuns);
        return WithSigned(RunWithShape("3", law, () => LawCatalog.Create(law), train, heldOut, level, null, progress));
    }

    /// <summary>Protocol 6's horizons: fit on the stable runs shorter than H, predict those at H.</summary>
    public static IReadOnlyList<IntervalCoverageResult> Protocol6(IReadOnlyList<GridRun> runs, string law, double level = 0.9, Action<string>? progress = null)
    {
        var stable = runs.Where(r => !r.Diverged).ToList();
        var results = new List<IntervalCoverageResult>();
        foreach (int h in new PlanBacktestOptions().Horizons.Where(h => h > 25000))
        {
            var clock = Stopwatch.StartNew();
            var train = Full(stable.Where(r => r.Horizon < h));
            var test = Full(stable.Where(r => r.Horizon == h));
            if (train.Count == 0 || test.Count == 0) throw new ArgumentException($"protocol 6 (H = {h}): nothing to fit on or nothing held out.");
            string name = $"6 (H = {h})";
            void Say(string m) => progress?.Invoke($"{law} [{name}] {m}");
            var predictor = ConformalCalibration.FinalLoss(LawCatalog.Create(law));
            // The leave-one-out residuals are shared; the horizon residuals come from the first half (protocol 9) or from the
            // nested horizons (variant A: fit on the shorter training horizons, predict the next one).
            var leaveOut = ConformalCalibration.Residuals(train, predictor, null, [], Say);
            var firstHalf = ConformalCalibration.Residuals(train, predictor, _ => "all", [Truncation], Say);
            var nested = ConformalCalibration.Residuals(train, predictor, _ => "all", [], Say, t => t.History.Steps);
            var shapeOut = ConformalCalibration.Residuals(train, predictor, _ => "all", [], Say, shapeOut: true);
            Say($"fitting on all {train.Count} training curves");
            var predictions = Predictions(predictor(train), test);
            double seconds = clock.Elapsed.TotalSeconds;
            results.Add(Score(name, law, train, predictions, [.. leaveOut, .. firstHalf], level, null, seconds));
            results.Add(Score($"6 (H = {h}, nested horizons)", law, train, predictions, [.. leaveOut, .. nested], level, null, seconds));
            // Third round: the same residuals plus leave-one-shape-out, calibrated with the shape growth (nested: the declared candidate).
            results.Add(Score($"6 (H = {h}, first half, shape)", law, train, predictions, [.. leaveOut, .. firstHalf, .. shapeOut], level, null, seconds, withShape: true));
            results.Add(Score($"6 (H = {h}, nested horizons, shape)", law, train, predictions, [.. leaveOut, .. nested, .. shapeOut], level, null, seconds, withShape: true));
        }
        return WithSigned(results);
    }

    private static List<FitTarget> Full(IEnumerable<GridRun> runs) =>
        [.. runs.Select(r => FitTarget.Of(r.Run, r.Run.Split(LossSplit.Validation))).Where(t => t.Steps.Length >= 2)];
}
