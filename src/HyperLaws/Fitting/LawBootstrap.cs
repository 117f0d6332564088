using HyperLaws.Fitting.Internal;
using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// Parameter uncertainty of a law fit by the bootstrap (Efron &amp; Tibshirani 1993): resample the data,
/// refit, and read the spread of the refitted parameters. Three schemes:
/// <list type="bullet">
/// <item><b>runs</b>: draw as many curves as there are, with replacement. Curves are the independent
/// units of loss-curve data, so this is the honest scheme, but with few curves most replicates repeat
/// one or two of them; it needs at least 4 curves (<see cref="MinimumRunsForRunsScheme"/>).</item>
/// <item><b>blocks</b>: within each curve, a circular block bootstrap of its points (Politis &amp; Romano
/// 1992): draw ceil(n/l) blocks of l consecutive points at uniform starts, wrapping past the end, keep
/// the first n indices. Residuals along a loss curve are autocorrelated (the law misses smooth trends,
/// and logged losses are averages over neighbouring steps), so single points would understate the
/// spread; blocks keep the correlation within l points. l = ceil(n^(1/3)) per curve unless fixed: the
/// rate that minimises the mean squared error of block-bootstrap variance estimates (Hall, Horowitz &amp;
/// Jing 1995; Lahiri 2003, ch. 7): 5 points for the 95 logged points of the MPL curve wsdcon_9, 6 for the
/// 171 of cosine_24000, 9 for the 546 of a 72000-step curve. Wrapping gives every point the same chance,
/// so the final points (which matter most for predictions) are not under-sampled as in the plain
/// moving-block bootstrap. A point drawn c times counts c times in the
/// objective (the curve is split into c layers of distinct steps, which the fitter's mean over all
/// points then weighs exactly so).</item>
/// <item><b>residuals</b>: the full fit's relative residuals e_i = L_i / L_hat_i - 1 of each curve,
/// resampled in the same circular blocks and put back in order: L*_i = L_hat_i (1 + e*_i).</item>
/// </list>
/// Default: runs with at least 4 curves, blocks otherwise. Every replicate draws from its own SplitMix64
/// stream seeded from <see cref="BootstrapOptions.Seed"/> and the replicate's index, and writes only its
/// own slot, so the samples are bit-identical however the replicates are scheduled. Refits start only
/// from the full-data optimum (a warm start: one start instead of the law's several; a replicate that
/// would have a distant better optimum is under-represented, the price of cheap refits). A replicate
/// fails when its fit throws or ends with a non-finite objective or parameter; it is counted and left out.
/// </summary>
public static class LawBootstrap
{
    /// <summary>The fewest curves the runs scheme (whole curves resampled) needs; with fewer, the default scheme is blocks.</summary>
    public const int MinimumRunsForRunsScheme = 4;

    /// <summary>"runs", "blocks" or "residuals".</summary>
    public static string SchemeName(BootstrapScheme scheme) => scheme.ToString().ToLowerInvariant();

    /// <summary>The scheme of a name as <see cref="SchemeName"/> writes it (any case); throws <see cref="ArgumentException"/> otherwise.</summary>
    public static BootstrapScheme ParseScheme(string name)
    {
        foreach (var s in Enum.GetValues<BootstrapScheme>())
            if (string.Equals(SchemeName(s), name, StringComparison.OrdinalIgnoreCase)) return s;
        throw new ArgumentException($"unknown scheme '{name}' (known: {string.Join(", ", Enum.GetValues<BootstrapScheme>().Select(SchemeName))}).");
    }

    /// <summary>The scheme used when none is asked for: runs with at least 4 curves, blocks otherwise.</summary>
    public static BootstrapScheme DefaultScheme(int curves) => curves >= MinimumRunsForRunsScheme ? BootstrapScheme.Runs : BootstrapScheme.Blocks;

    /// <summary>The block length of a curve of <paramref name="points"/> points: ceil(n^(1/3)), or the fixed length (at most n).</summary>
    public static int BlockLength(int points, int? fixedLength = null) =>
        Math.Clamp(fixedLength ?? (int)Math.Ceiling(Math.Cbrt(points) - 1e-9), 1, Math.Max(points, 1));

    /// <summary>
    /// The scheme <paramref name="options"/> give for <paramref name="curves"/> curves; throws
    /// <see cref="ArgumentException"/> for settings that cannot run (checked before any fit).
    /// </summary>
    public static BootstrapScheme Check(BootstrapOptions options, int curves)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Fit.CheckRidgeStops();   // the refits' settings: refused here, not by every refit failing
        if (options.Replicates < 1) throw new ArgumentException($"The bootstrap needs at least 1 replicate (got {options.Replicates}).");
        if (!(options.Level > 0 && options.Level < 1)) throw new ArgumentException($"The bootstrap level must be between 0 and 1 (got {options.Level}).");
        if (options.BlockLength is < 1) throw new ArgumentException($"The block length must be at least 1 (got {options.BlockLength}).");
        if (curves == 0) throw new ArgumentException("Nothing to fit: no curves.");
        var scheme = options.Scheme ?? DefaultScheme(curves);
        if (scheme == BootstrapScheme.Runs && curves < MinimumRunsForRunsScheme)
            throw new ArgumentException($"The runs bootstrap needs at least {MinimumRunsForRunsScheme} curves to resample (got {curves}): with fewer, most replicates repeat one or two curves. Use the blocks scheme.");
        return scheme;
    }

    /// <summary>
    /// Fits <paramref name="law"/> on all targets (or takes <paramref name="fit"/>, a fit of the same law on
    /// the same targets), then refits <see cref="BootstrapOptions.Replicates"/> resamples.
    /// <paramref name="progress"/> gets the number of replicates done so far (in increasing order, one call at a time).
    /// </summary>
    public static BootstrapResult Run(IFittableLaw law, IReadOnlyList<FitTarget> targets, BootstrapOptions? options = null, LawFit? fit = null, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new BootstrapOptions();
        var scheme = Check(options, targets.Count);
        fit ??= LawFitter.Fit(law, targets, options.Fit);
        if (fit.Law.Name != law.Name || fit.Parameters.Length != law.ParameterNames.Count)
            throw new ArgumentException($"The given fit is of {fit.Law.Name}, not {law.Name}.");

        // Relative residuals of the full fit, e = L / L_hat - 1, per curve.
        var predictions = targets.Select(t => fit.Predict(t.History, t.Steps)).ToArray();
        var residuals = targets.Select((t, c) => t.Loss.Select((y, i) => y / predictions[c][i] - 1).ToArray()).ToArray();
        if (residuals.Any(r => !r.All(double.IsFinite)))
            throw new ArgumentException($"The {law.Name} fit predicts a non-finite or zero loss on its own data; nothing to bootstrap.");

        var refit = options.Fit with { Starts = [fit.Parameters], UseLawStartingPoints = false };
        var seeds = SplitMix64.Seeds(options.Seed, options.Replicates);
        var outcome = new LawFit?[options.Replicates];
        int done = 0;
        var gate = new object();
        Parallel.For(0, options.Replicates, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, b =>
        {
            var rng = new SplitMix64(seeds[b]);
            var sample = Resample(scheme, targets, predictions, residuals, options.BlockLength, ref rng);
            outcome[b] = RefitOrNull(law, sample, refit);
            if (progress is null) return;
            lock (gate) progress(++done);
        });

        var samples = outcome.Where(f => f is not null).Select(f => f!.Parameters).ToArray();
        if (samples.Length < 2)
            throw new ArgumentException($"Only {samples.Length} of {options.Replicates} bootstrap replicates of {law.Name} could be fitted; the data cannot support a spread.");
        var bootstrap = new BootstrapSamples(scheme, options.Replicates, options.Seed, options.Level, samples, BootstrapSamples.QuantilesOf(residuals.SelectMany(r => r)))
        {
            BlockLength = scheme == BootstrapScheme.Runs ? null : options.BlockLength,
        };
        return new BootstrapResult(fit, bootstrap, bootstrap.Intervals(law.ParameterNames, fit.Parameters), outcome.Count(f => f is { Converged: false }));
    }

    private static LawFit? RefitOrNull(IFittableLaw law, IReadOnlyList<FitTarget> sample, FitOptions options)
    {
        try
        {
            var f = LawFitter.Fit(law, sample, options);
            return double.IsFinite(f.Objective) && f.Parameters.All(double.IsFinite) ? f : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return null;
        }
    }

    /// <summary>One replicate's data set.</summary>
    internal static IReadOnlyList<FitTarget> Resample(BootstrapScheme scheme, IReadOnlyList<FitTarget> targets, double[][] predictions, double[][] residuals, int? blockLength, ref SplitMix64 rng)
    {
        switch (scheme)
        {
            case BootstrapScheme.Runs:
            {
                var drawn = new FitTarget[targets.Count];
                for (int i = 0; i < drawn.Length; i++) drawn[i] = targets[rng.NextInt(targets.Count)];
                return drawn;
            }
            case BootstrapScheme.Blocks:
            {
                var layers = new List<FitTarget>();
                foreach (var t in targets)
                {
                    var counts = new int[t.Steps.Length];
                    foreach (int i in CircularBlocks(t.Steps.Length, BlockLength(t.Steps.Length, blockLength), ref rng)) counts[i]++;
                    layers.AddRange(Layers(t, counts));
                }
                return layers;
            }
            case BootstrapScheme.Residuals:
            {
                var resampled = new FitTarget[targets.Count];
                for (int c = 0; c < targets.Count; c++)
                {
                    var t = targets[c];
                    var order = CircularBlocks(t.Steps.Length, BlockLength(t.Steps.Length, blockLength), ref rng);
                    var loss = new double[t.Steps.Length];
                    for (int i = 0; i < loss.Length; i++) loss[i] = predictions[c][i] * (1 + residuals[c][order[i]]);
                    resampled[c] = t with { Loss = loss };
                }
                return resampled;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme));
        }
    }

    /// <summary>n indices of a circular block bootstrap: blocks of <paramref name="length"/> consecutive indices (mod n) from uniform starts.</summary>
    internal static int[] CircularBlocks(int n, int length, ref SplitMix64 rng)
    {
        var order = new int[n];
        for (int filled = 0; filled < n;)
        {
            int start = rng.NextInt(n);
            for (int j = 0; j < length && filled < n; j++) order[filled++] = (start + j) % n;
        }
        return order;
    }

    /// <summary>
    /// A curve whose point i is drawn counts[i] times, as layers of distinct ascending steps: layer c holds
    /// the points drawn at least c times, so each point appears in exactly counts[i] layers.
    /// </summary>
    internal static IEnumerable<FitTarget> Layers(FitTarget t, int[] counts)
    {
        int max = counts.Max();
        for (int c = 1; c <= max; c++)
        {
            var keep = Enumerable.Range(0, counts.Length).Where(i => counts[i] >= c).ToArray();
            yield return t with
            {
                Name = c == 1 ? t.Name : $"{t.Name}#{c}",
                Steps = [.. keep.Select(i => t.Steps[i])],
                Loss = [.. keep.Select(i => t.Loss[i])],
            };
        }
    }
}
