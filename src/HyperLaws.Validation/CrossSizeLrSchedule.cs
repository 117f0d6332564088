using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 17c of docs/VALIDATION.md: protocol 2's cross-size question on the lr-scheduling SlimPajama runs of protocol 17
/// (<see cref="CrossDataLrSchedule.Load"/>), the first source with enough sizes to fit the offset's size exponent beta. Every law is
/// fitted (<see cref="CrossSize.Score"/>, the default fits as in protocol 2) on all validation observations of the runs of
/// <see cref="TrainSets"/> (33M-152M, six sizes), with a size law whose beta is fitted (the headline) or fixed, and predicts every
/// validation observation of the runs of <see cref="TestSets"/> (209M and 360M). Baseline: each law fitted on <see cref="BaselineSet"/>
/// alone, without a size law. Model sizes are the runs' <c>summary.parameters</c> (embeddings included).
/// </summary>
public static class CrossSizeLrSchedule
{
    /// <summary>The training sets (the manifest's set names): SlimPajama, 33M-152M, six runs each.</summary>
    public static IReadOnlyList<string> TrainSets { get; } = ["sp-33m", "sp-53m", "sp-60m", "sp-93m", "sp-124m", "sp-152m"];

    /// <summary>The held-out sets: SlimPajama 209M (two sets of one parameter count) and 360M (twice the batch: a stated confound).</summary>
    public static IReadOnlyList<string> TestSets { get; } = ["sp-209m", "sp-210m", "sp-360m"];

    /// <summary>The baseline's one training set (the largest training size), fitted without a size law.</summary>
    public const string BaselineSet = "sp-152m";

    /// <summary>The size laws of the schedule laws (<see cref="SizedLaw"/>), declared with the protocol; the first is the headline.</summary>
    public static IReadOnlyList<CrossSizeVariant> Variants { get; } =
    [
        new("power, beta fitted", SizeScaling.PowerLaw, null),
        new("shared, beta fitted", SizeScaling.Shared, null),
        new("power, beta 0.34", SizeScaling.PowerLaw, SizeLawSpec.ChinchillaExponent),
    ];

    /// <summary>The joint law's size laws, declared with the protocol: beta fitted (the headline), then Chinchilla's 0.34 as a prior.</summary>
    public static IReadOnlyList<(string Name, double? Beta)> JointVariants { get; } =
    [
        ("size terms, beta fitted", null),
        ("size terms, beta 0.34", SizeLawSpec.ChinchillaExponent),
    ];

    /// <summary>The validation curve of every run of <paramref name="sets"/>, in the order of <paramref name="runs"/>.</summary>
    /// <exception cref="ValidationDataException">A set has no run, or a run has no model size or no validation loss.</exception>
    public static IReadOnlyList<FitTarget> Targets(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> sets) => Targets(runs, sets, null);

    /// <summary>
    /// The validation curve of every run of <paramref name="sets"/>; with <paramref name="unitTokens"/> on the tokens axis
    /// (<see cref="TimeAxis.Tokens"/>): a run of k x <paramref name="unitTokens"/> tokens per step stretched k-fold (<see cref="StepsPerUnit"/>).
    /// </summary>
    /// <exception cref="ValidationDataException">A set has no run, or a run has no model size, no validation loss, or (tokens axis) no whole number of units per step.</exception>
    public static IReadOnlyList<FitTarget> Targets(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> sets, double? unitTokens) =>
        Targets(runs, sets, unitTokens, TimeAxis.Tokens);

    /// <summary>
    /// The validation curve of every run of <paramref name="sets"/> on <paramref name="axis"/>, with <paramref name="unitTokens"/> the
    /// unit batch B_r (null: steps, whatever the axis): on <see cref="TimeAxis.Tokens"/> a run of k x B_r tokens per step stretched k-fold
    /// (<see cref="StepsPerUnit"/>), on <see cref="TimeAxis.CriticalBatch"/> a run of B tokens per step stretched w-fold
    /// (<see cref="CriticalBatchFactor"/>).
    /// </summary>
    /// <exception cref="ValidationDataException">A set has no run, or a run has no model size, no validation loss, or no usable tokens per step.</exception>
    public static IReadOnlyList<FitTarget> Targets(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> sets, double? unitTokens, TimeAxis axis)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (string set in sets)
            if (!runs.Any(r => r.Set == set)) throw new ValidationDataException($"protocol 17c: no run of set '{set}' (made by {CrossDataLrSchedule.FetchScript}).");
        return [.. runs.Where(r => sets.Contains(r.Set)).Select(r =>
        {
            if (r.Run.Metadata.Parameters is not > 0) throw new ValidationDataException($"protocol 17c: {r.Name}: the model size (parameters) is unknown.");
            var points = r.Run.Split(LossSplit.Validation).ToList();
            if (points.Count == 0) throw new ValidationDataException($"protocol 17c: {r.Name}: no validation loss.");
            var target = FitTarget.Of(r.Run, points);
            return unitTokens is not { } unit ? target
                : axis == TimeAxis.CriticalBatch ? target.Stretched(CriticalBatchFactor(r, unit)) : target.Stretched(StepsPerUnit(r, unit));
        })];
    }

    /// <summary>
    /// The tokens axis's unit: the smallest tokens per step (<see cref="RunMetadata.TokensPerStep"/>) among the runs of <paramref name="sets"/>.
    /// </summary>
    /// <exception cref="ValidationDataException">A run of the sets has no known tokens per step.</exception>
    public static double UnitTokens(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> sets)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var chosen = runs.Where(r => sets.Contains(r.Set)).ToList();
        if (chosen.Count == 0) throw new ValidationDataException("protocol 17c: no run to put on the tokens axis.");
        foreach (var r in chosen)
            if (r.Run.Metadata.TokensPerStep is not (> 0 and < double.PositiveInfinity))
                throw new ValidationDataException($"protocol 17c: {r.Name}: the tokens per step are unknown (the tokens axis needs them).");
        return chosen.Min(r => r.Run.Metadata.TokensPerStep!.Value);
    }

    /// <summary>
    /// k = (tokens per step) / <paramref name="unitTokens"/>, the unit steps one optimizer step of <paramref name="run"/> counts on the
    /// tokens axis; a whole number (within 1e-9 relative) or refused.
    /// </summary>
    /// <exception cref="ValidationDataException">The tokens per step are unknown or not a whole multiple of the unit.</exception>
    public static int StepsPerUnit(CrossDataRun run, double unitTokens)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Run.Metadata.TokensPerStep is not (> 0 and < double.PositiveInfinity) || !(unitTokens > 0))
            throw new ValidationDataException($"protocol 17c: {run.Name}: the tokens per step are unknown (the tokens axis needs them).");
        double t = run.Run.Metadata.TokensPerStep.Value, k = t / unitTokens, whole = Math.Round(k);
        if (whole < 1 || Math.Abs(k - whole) > 1e-9 * k || whole > int.MaxValue)
            throw new ValidationDataException(FormattableString.Invariant($"protocol 17c: {run.Name}: {t:G} tokens per step is not a whole multiple of the tokens axis's unit, {unitTokens:G} tokens (the smallest of the protocol's runs)."));
        return (int)whole;
    }

    /// <summary>
    /// w = (1 + B_noise / B_r) / (1 + B_noise / B), the steps at the unit batch B_r = <paramref name="unitTokens"/> one optimizer step of
    /// <paramref name="run"/> (B tokens per step) counts on the critical-batch axis (<see cref="StepEquivalence.Factor(double, double, double, CriticalBatchLaw)"/>),
    /// B_noise = <see cref="CriticalBatchLaw.Protocol5"/> at the run's tokens, its steps (ended at its last validation observation) x B;
    /// exactly 1 for a run at the unit batch.
    /// </summary>
    /// <exception cref="ValidationDataException">The tokens per step are unknown or below the unit.</exception>
    public static double CriticalBatchFactor(CrossDataRun run, double unitTokens)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Run.Metadata.TokensPerStep is not (> 0 and < double.PositiveInfinity) || !(unitTokens > 0))
            throw new ValidationDataException($"protocol 17c: {run.Name}: the tokens per step are unknown (the critical-batch axis needs them).");
        double b = run.Run.Metadata.TokensPerStep.Value;
        if (b < unitTokens) throw new ValidationDataException(FormattableString.Invariant($"protocol 17c: {run.Name}: {b:G} tokens per step is below the axis's unit, {unitTokens:G} tokens."));
        return StepEquivalence.Factor(b, unitTokens, run.Run.Steps * b, CriticalBatchLaw.Protocol5);
    }

    /// <summary>
    /// Runs protocol 17c for each law: the schedule laws with each of <paramref name="variants"/> (default <see cref="Variants"/>),
    /// the joint law (<c>joint</c>) with <see cref="JointVariants"/>, and each law's <see cref="BaselineSet"/>-only baseline; on
    /// <paramref name="axis"/> (steps, as declared, or tokens: <see cref="UnitTokens"/>, <see cref="StepsPerUnit"/>, or the critical batch:
    /// <see cref="CriticalBatchFactor"/>).
    /// </summary>
    public static CrossSizeResult Run(IReadOnlyList<CrossDataRun> runs, IReadOnlyList<string> laws, Action<string>? progress = null,
        IReadOnlyList<string>? trainSets = null, IReadOnlyList<string>? testSets = null, string baselineSet = BaselineSet, IReadOnlyList<CrossSizeVariant>? variants = null,
        TimeAxis axis = TimeAxis.Steps)
    {
        variants ??= Variants;
        trainSets ??= TrainSets;
        testSets ??= TestSets;
        double? unit = axis != TimeAxis.Steps ? UnitTokens(runs, [.. trainSets, .. testSets, baselineSet]) : null;
        var train = Targets(runs, trainSets, unit, axis);
        var test = Targets(runs, testSets, unit, axis);
        var baselineTrain = Targets(runs, [baselineSet], unit, axis);
        double reference = SizeLawSpec.CentreOf(train);
        var results = new List<CrossSizeLaw>();
        foreach (string name in laws)
        {
            var scores = new List<CrossSizeScore>();
            if (string.Equals(name, "joint", StringComparison.OrdinalIgnoreCase))
            {
                // beta fitted by its converged profile (JointFitOptions.ProfileOffsetExponent; docs/VALIDATION.md "Protocol 2's pooled beta
                // from a converged profile": adopted for these rows, the lowest objective of the profile and the plain search).
                foreach (var (variant, beta) in JointVariants)
                    scores.Add(CrossSize.Score(variant, new JointLaw(new JointFitOptions { OffsetExponent = beta, ProfileOffsetExponent = beta is null }), train, test, progress));
                results.Add(new CrossSizeLaw(name, scores, CrossSize.Score(baselineSet + " only", new JointLaw(new JointFitOptions()), baselineTrain, test, progress)));
                continue;
            }
            foreach (var v in variants)
                scores.Add(CrossSize.Score(v.Name, SizedLaw.Create(LawCatalog.Create(name), new SizeLawSpec(reference, v.Scaling, v.OffsetExponent)), train, test, progress));
            results.Add(new CrossSizeLaw(name, scores, CrossSize.Score(baselineSet + " only", LawCatalog.Create(name), baselineTrain, test, progress)));
        }
        return new CrossSizeResult(train, test, results);
    }

    /// <summary>
    /// The offset's size exponent beta of a fit: <see cref="SizedLaw.OffsetExponent"/> for a law across sizes, the joint law's
    /// <c>beta</c> parameter; NaN for a law without one (a one-size baseline).
    /// </summary>
    public static double Beta(LawFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Law is SizedLaw sized) return sized.OffsetExponent(fit.Parameters);
        if (fit.Law is JointLaw)
        {
            int i = fit.Law.ParameterNames.ToList().IndexOf("beta");
            if (i >= 0 && i < fit.Parameters.Length) return fit.Parameters[i];
        }
        return double.NaN;
    }

    /// <summary>The score of <paramref name="score"/> per held-out model size, ascending (<see cref="SizeGroupScore"/>).</summary>
    public static IReadOnlyList<SizeGroupScore> BySize(CrossSizeScore score, IReadOnlyList<FitTarget> test)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(test);
        return [.. test.Select((t, i) => (t, i)).GroupBy(x => x.t.ModelSize).OrderBy(g => g.Key).Select(g => Group(g.Key, [.. g.Select(x => x.i)], score, test))];
    }

    /// <summary>The score of <paramref name="score"/> over every held-out curve as one group (ModelSize NaN).</summary>
    public static SizeGroupScore Overall(CrossSizeScore score, IReadOnlyList<FitTarget> test)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(test);
        return Group(double.NaN, [.. Enumerable.Range(0, test.Count)], score, test);
    }

    private static SizeGroupScore Group(double size, IReadOnlyList<int> idx, CrossSizeScore s, IReadOnlyList<FitTarget> test)
    {
        var finals = idx.Select(i => (s.Predictions[i][^1] - test[i].Loss[^1]) / test[i].Loss[^1]).ToList();
        return new SizeGroupScore(size, idx.Count, idx.Average(i => s.Test[i].PredE), idx.Max(i => s.Test[i].PredE), idx.Max(i => s.Test[i].WorstE),
            finals.Average(Math.Abs), finals.Max(Math.Abs), finals.Average());
    }
}
