using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 2 of shared/docs/validation.md, cross-size: fit a law across model sizes (<see cref="SizedLaw"/>)
/// on all nine curves of the 25M and of the 100M model (18 curves, the point at step 24000 of 24000-step
/// runs dropped as in protocol 1), predict all nine 400M curves at their logged steps. Nothing is
/// fitted on 400M. Scores: PredE, WorstE, MaxE, R^2, MAE, RMSE over the nine 400M curves, and the
/// Kendall tau-b between predicted and actual final losses of those nine curves (the schedules' ranking
/// at 400M). Also the in-sample fit per training size, and a baseline without a size law: the base law
/// fitted on the nine 100M curves alone, predicting 400M.
/// </summary>
/// <remarks>
/// The size laws (<see cref="Variants"/>) were declared before any 400M score was computed; the first
/// is the headline. With two training sizes the offset's E + b z^(-beta) has three unknowns from two
/// sizes, so beta is fixed to a prior: 0.34, Chinchilla's model-size exponent (Hoffmann et al. 2022,
/// approach 3). The headline lets every positive parameter follow its own power law in N, as the
/// per-size MPL fits of Luo et al. drift in every parameter and as schedule-laws.md prescribes ("L0, A
/// (and the weights) depend on N as power laws"); the variants show what sharing the shape costs or
/// buys and how much the prior exponent matters (0.2 and 0.5, either side of 0.34).
/// N_ref is the geometric mean of the training sizes (50M); the fit does not depend on it.
/// </remarks>
public static class CrossSize
{
    /// <summary>The training model sizes, in millions of parameters (MPL folder labels): 25M and 100M.</summary>
    public static IReadOnlyList<string> TrainSizes { get; } = ["25", "100"];

    /// <summary>The predicted model size, in millions of parameters (MPL folder label): 400M.</summary>
    public const string TestSize = "400";

    /// <summary>The size laws compared; the first is the headline (chosen a priori, see the remarks).</summary>
    public static IReadOnlyList<CrossSizeVariant> Variants { get; } =
    [
        new("power", SizeScaling.PowerLaw, SizeLawSpec.ChinchillaExponent),
        new("shared", SizeScaling.Shared, SizeLawSpec.ChinchillaExponent),
        new("power, beta 0.2", SizeScaling.PowerLaw, 0.2),
        new("power, beta 0.5", SizeScaling.PowerLaw, 0.5),
    ];

    /// <summary>All nine curves of each training size, in <see cref="MplSplit.All"/> order, 25M first.</summary>
    public static IReadOnlyList<FitTarget> TrainTargets(string dataRoot) =>
        [.. TrainSizes.SelectMany(size => MplSplit.Targets(dataRoot, size, MplSplit.All))];

    /// <summary>All nine 400M curves, in <see cref="MplSplit.All"/> order.</summary>
    public static IReadOnlyList<FitTarget> TestTargets(string dataRoot) => MplSplit.Targets(dataRoot, TestSize, MplSplit.All);

    /// <summary>
    /// Runs the protocol for each law: every variant of <paramref name="variants"/> (default all; the
    /// first is reported as the headline) and the 100M-only baseline; <paramref name="jointFitNoisePower"/> fits the joint law's noise
    /// power p in each of its fits (<see cref="JointFitOptions.FitNoisePower"/>, `--joint-noise-power fit`; default p = 1).
    /// With <paramref name="sizeExponent"/> (`--size-exponent B`) the variants are those of <see cref="GivenExponentVariants"/> and
    /// <see cref="JointGivenExponent"/> instead (beta = B from another source; <paramref name="variants"/> must then be null).
    /// </summary>
    public static CrossSizeResult Run(string dataRoot, IReadOnlyList<string> laws, Action<string>? progress = null, IReadOnlyList<CrossSizeVariant>? variants = null,
        bool jointFitNoisePower = false, double? sizeExponent = null)
    {
        if (sizeExponent is { } given)
        {
            if (variants is not null) throw new ArgumentException("a given size exponent brings its own variants.", nameof(variants));
            if (!IsSizeExponent(given)) throw new ArgumentOutOfRangeException(nameof(sizeExponent), given, "the size exponent must be in (0, 2].");
        }
        variants ??= sizeExponent is { } b0 ? GivenExponentVariants(b0) : Variants;
        if (variants.Count == 0) throw new ArgumentException("no size law to run.");
        var train = TrainTargets(dataRoot);
        var test = TestTargets(dataRoot);
        var baselineTrain = train.Where(t => t.ModelSize == MplSplit.Parameters("100")).ToList();
        double reference = SizeLawSpec.CentreOf(train);
        var results = new List<CrossSizeLaw>();
        foreach (string name in laws)
        {
            var scores = new List<CrossSizeScore>();
            if (string.Equals(name, "joint", StringComparison.OrdinalIgnoreCase))
            {
                // The joint law carries its own size terms (JointLaw): its variants are the sources of beta.
                foreach (var v in sizeExponent is { } b1 ? JointGivenExponent(b1) : JointSizeExponents(dataRoot, progress))
                    scores.Add(Score(v.Variant, new JointLaw(v.Options with { FitNoisePower = jointFitNoisePower }), train, test, progress));
                results.Add(new CrossSizeLaw(name, scores, Score("100M only", new JointLaw(new JointFitOptions { FitNoisePower = jointFitNoisePower }), baselineTrain, test, progress)));
                continue;
            }
            foreach (var v in variants)
            {
                var law = SizedLaw.Create(LawCatalog.Create(name), new SizeLawSpec(reference, v.Scaling, v.OffsetExponent));
                scores.Add(Score(v.Name, law, train, test, progress));
            }
            var baseline = Score("100M only", LawCatalog.Create(name), baselineTrain, test, progress);
            results.Add(new CrossSizeLaw(name, scores, baseline));
        }
        return new CrossSizeResult(train, test, results);
    }

    /// <summary>Whether <paramref name="beta"/> is a size exponent `--size-exponent` takes: finite, in (0, 2].</summary>
    public static bool IsSizeExponent(double beta) => beta > 0 && beta <= 2;

    /// <summary>
    /// The schedule laws' size laws with the offset's exponent given from another source (docs/VALIDATION.md, "(b) Protocol 2 with beta =
    /// 0.203"): protocol 2's headline size law ("power") and "shared", both with beta = <paramref name="beta"/>.
    /// </summary>
    public static IReadOnlyList<CrossSizeVariant> GivenExponentVariants(double beta) =>
    [
        new(FormattableString.Invariant($"power, beta {beta:G4} (given)"), SizeScaling.PowerLaw, beta),
        new(FormattableString.Invariant($"shared, beta {beta:G4} (given)"), SizeScaling.Shared, beta),
    ];

    /// <summary>
    /// The joint law's size laws with the offset's exponent given from another source (docs/VALIDATION.md, "(b) Protocol 2 with beta =
    /// 0.203"): protocol 2's headline configuration (size terms + n_M) with beta = <paramref name="beta"/>, then the size terms without n_M.
    /// </summary>
    public static IReadOnlyList<JointSizeVariant> JointGivenExponent(double beta) =>
    [
        new(FormattableString.Invariant($"size terms + n_M, beta {beta:G4} (given)"), beta, false, true),
        new(FormattableString.Invariant($"size terms, beta {beta:G4} (given, no n_M)"), beta, false),
    ];

    /// <summary>
    /// The joint law's size laws, declared before any 400M score of each (docs/VALIDATION.md, "Protocol 2 with the size law
    /// fitted", "Protocol 2 with the noise's size exponent" and "Protocol 2: the size level from matched tables, a size-scaled
    /// cooldown memory"); two training sizes cannot tell the offset's exponent beta, so it comes from other runs or a tie.
    /// First (the headline, helper sizelaw) n_M, the noise memory's size exponent, with beta the mean model-size exponent of the
    /// matched Porian et al. tables (<see cref="MatchedPorianExponent"/>); then that beta without n_M; then n_M with Chinchilla's
    /// fitted beta; then n_M with beta tied to the progress exponent; then, as before, n_N, the noise's size exponent, fitted on the two sizes, with beta the
    /// model-size exponent alpha of Chinchilla's L = E + A N^-alpha + B D^-beta fitted on the Chinchilla runs
    /// (analyzing-chinchilla, the 5 highest losses left out, the coarse start grid: <see cref="ChinchillaFitValidation"/>'s
    /// settings), when the data folder has them; then n_N with beta fitted on the Chinchilla runs below
    /// <see cref="LocalSizeCap"/> parameters (the local exponent at the sizes of protocol 2); then the law before n_N with the
    /// first beta; then Chinchilla's published 0.34 as a prior, without n_N, for comparison.
    /// </summary>
    public static IReadOnlyList<JointSizeVariant> JointSizeExponents(string dataRoot, Action<string>? progress = null)
    {
        var list = new List<JointSizeVariant>();
        string file = ChinchillaFitValidation.ChinchillaFile(dataRoot);
        string porianFile = ChinchillaFitValidation.PorianPointsFile(dataRoot);
        // Read in the order the two blocks below used to read them (the Porian tables first), so a broken file fails as before;
        // the Chinchilla runs are read and fitted once for both blocks.
        (double Beta, IReadOnlyList<(string Table, double Alpha, int Runs)> Tables)? porian = File.Exists(file) && File.Exists(porianFile) ? MatchedPorianExponent(porianFile) : null;
        var runs = File.Exists(file) ? ChinchillaFitValidation.ExcludeHighestLoss(Readers.ScalingPointReader.ReadChinchillaSvg(file), 5) : null;
        var fit = runs is null ? null : SizeLaws.ChinchillaFitter.Fit(runs, new SizeLaws.ChinchillaFitOptions(Grid: SizeLaws.ChinchillaGrid.Coarse));
        if (porian is var (porianBeta, tables) && fit is not null)
        {
            progress?.Invoke(FormattableString.Invariant($"joint: beta = {porianBeta:F4}, the mean model-size exponent of the matched Porian tables ({string.Join("; ", tables.Select(t => $"{t.Table}: {t.Alpha:F4} from {t.Runs} runs"))})"));
            list.Add(new(FormattableString.Invariant($"size terms + n_M, beta {porianBeta:F3} from matched Porian tables"), porianBeta, false, true));
            list.Add(new(FormattableString.Invariant($"size terms, beta {porianBeta:F3} from matched Porian tables (no n_M)"), porianBeta, false));
            list.Add(new(FormattableString.Invariant($"size terms + n_M, beta {fit.Law.Alpha:F3} fitted on Chinchilla runs"), fit.Law.Alpha, false, true));
            list.Add(new("size terms + n_M, beta tied to the progress exponent", porianBeta, false, true, true));
        }
        else progress?.Invoke($"joint: {file} or {porianFile} not found; no sizelaw variants");
        if (runs is not null && fit is not null)
        {
            var small = runs.Where(r => r.N <= LocalSizeCap).ToList();
            var local = SizeLaws.ChinchillaFitter.Fit(small, new SizeLaws.ChinchillaFitOptions(Grid: SizeLaws.ChinchillaGrid.Coarse));
            progress?.Invoke(FormattableString.Invariant($"joint: beta = {fit.Law.Alpha:F4}, fitted on {runs.Count} Chinchilla runs; {local.Law.Alpha:F4} on the {small.Count} with N <= {LocalSizeCap:G3}"));
            list.Add(new(FormattableString.Invariant($"size terms + n_N, beta {fit.Law.Alpha:F3} fitted on Chinchilla runs"), fit.Law.Alpha, true));
            list.Add(new(FormattableString.Invariant($"size terms + n_N, beta {local.Law.Alpha:F3} fitted on Chinchilla runs N <= 1e9"), local.Law.Alpha, true));
            list.Add(new(FormattableString.Invariant($"size terms, beta {fit.Law.Alpha:F3} fitted on Chinchilla runs (no n_N: before)"), fit.Law.Alpha, false));
        }
        else progress?.Invoke($"joint: {file} not found; beta only from the prior");
        list.Add(new("size terms, beta 0.34 (prior)", SizeLawSpec.ChinchillaExponent, false));
        return list;
    }

    /// <summary>
    /// beta from the matched Porian et al. (2024) tables (docs/VALIDATION.md, "Protocol 2: the size level from matched tables"): the
    /// mean of the model-size exponents alpha of L(N, D) = E + A N^-alpha + B D^-beta fitted (<see cref="SizeLaws.ChinchillaFitter"/>,
    /// the coarse start grid, as <c>size-law</c>) on each configuration that <see cref="IntervalCoverage.MatchedTable"/> calls matched
    /// (LR decay matched to the run's length, standard parameter counts: owt2 and rw, 5.2M-902M parameters), with each fit's exponent.
    /// </summary>
    /// <exception cref="ValidationDataException">No matched configuration in <paramref name="porianPointsFile"/>.</exception>
    public static (double Beta, IReadOnlyList<(string Table, double Alpha, int Runs)> Tables) MatchedPorianExponent(string porianPointsFile)
    {
        var tables = Readers.ScalingPointReader.ReadPorianPoints(porianPointsFile)
            .GroupBy(p => "porian " + p.Configuration).Where(g => IntervalCoverage.MatchedTable(g.Key)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var runs = g.Select(p => p.Point).ToList();
                var fit = SizeLaws.ChinchillaFitter.Fit(runs, new SizeLaws.ChinchillaFitOptions(Grid: SizeLaws.ChinchillaGrid.Coarse));
                return (Table: g.Key, fit.Law.Alpha, Runs: runs.Count);
            }).ToList();
        if (tables.Count == 0) throw new ValidationDataException($"{porianPointsFile}: no matched Porian configuration (LR decay 'chinchilla', standard parameter counts).");
        return (tables.Average(t => t.Alpha), tables);
    }

    /// <summary>
    /// The largest model (parameters) of the Chinchilla runs that give the local offset exponent: 1e9, the decade of protocol 2's
    /// sizes (25M-400M) and the smallest Chinchilla runs (57M); 118 of the 240 runs.
    /// </summary>
    public const double LocalSizeCap = 1e9;

    /// <summary>
    /// The design check behind the joint law's n_N (docs/VALIDATION.md, "Protocol 2 with the noise's size exponent"), on the
    /// training sizes only: the in-sample PredE over the 18 curves of 25M and 100M, and protocol 1's split pooled over the two
    /// sizes (fit the three <see cref="MplSplit.Train"/> curves of each size, predict the six <see cref="MplSplit.Test"/> curves
    /// of each), both with the joint law fitted with <paramref name="options"/>. The 400M curves are never read.
    /// </summary>
    public static TrainingSizeCheck CheckOnTrainingSizes(string dataRoot, JointFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var law = new JointLaw(options);
        var all = TrainTargets(dataRoot);
        var inSample = LawFitter.Fit(law, all);
        var fitOn = TrainSizes.SelectMany(size => MplSplit.Targets(dataRoot, size, MplSplit.Train)).ToList();
        var predict = TrainSizes.SelectMany(size => MplSplit.Targets(dataRoot, size, MplSplit.Test)).ToList();
        var split = LawFitter.Fit(law, fitOn);
        static double PredE(LawFit fit, IReadOnlyList<FitTarget> curves) =>
            curves.Average(t => CurveMetrics.Of(t.Loss, fit.Predict(t.History, t.Steps, t.ModelSize)).PredE);
        return new TrainingSizeCheck(PredE(inSample, all), PredE(split, predict),
            inSample.Parameters[JointLaw.NoiseSizeExponent], split.Parameters[JointLaw.NoiseSizeExponent], inSample);
    }

    /// <summary>Fits <paramref name="law"/> on <paramref name="train"/>, scores it on <paramref name="test"/> and in-sample per training size.</summary>
    public static CrossSizeScore Score(string variant, IFittableLaw law, IReadOnlyList<FitTarget> train, IReadOnlyList<FitTarget> test, Action<string>? progress = null)
    {
        if (test.Count == 0) throw new ArgumentException("no held-out curves to predict.");
        progress?.Invoke($"{law.Name} [{variant}]: fitting on {train.Count} curves ...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var fit = LawFitter.Fit(law, train);
        double seconds = started.Elapsed.TotalSeconds;
        progress?.Invoke($"{law.Name} [{variant}]: done in {seconds:F1} s ({fit.StopReason})");
        return ScoreFit(variant, fit, train, test, seconds);
    }

    /// <summary>Scores <paramref name="fit"/> (made on <paramref name="train"/> in <paramref name="seconds"/>) on <paramref name="test"/> and in-sample per training size.</summary>
    public static CrossSizeScore ScoreFit(string variant, LawFit fit, IReadOnlyList<FitTarget> train, IReadOnlyList<FitTarget> test, double seconds = 0)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (test.Count == 0) throw new ArgumentException("no held-out curves to predict.");
        var predictions = test.Select(t => fit.Predict(t.History, t.Steps, t.ModelSize)).ToList();
        var metrics = test.Select((t, i) => CurveMetrics.Of(t.Loss, predictions[i])).ToList();
        double tau = LawComparison.KendallTau(test.Select(t => t.Loss[^1]).ToArray(), predictions.Select(p => p[^1]).ToArray());
        var inSample = train.GroupBy(t => t.ModelSize).OrderBy(g => g.Key)
            .Select(g => new SizeCheck(g.Key, MetricSummary.Of([.. g.Select(t => CurveMetrics.Of(t.Loss, fit.Predict(t.History, t.Steps, t.ModelSize)))])))
            .ToList();
        return new CrossSizeScore(variant, fit, metrics, predictions, MetricSummary.Of(metrics), tau, inSample, seconds);
    }
}
