using HyperLaws.Fitting.Internal;

namespace HyperLaws.Fitting;

/// <summary>
/// What a bootstrap leaves behind, and what LAW.json keeps of it: how it was drawn, the parameter
/// vectors of the replicates that fitted (in the law's parameter order, in replicate order), and the
/// quantiles of the full fit's relative training residuals e = L / L_hat - 1 at probabilities
/// (k + 1/2) / K, k = 0..K-1 (K equal-mass points standing for the model's own error).
/// </summary>
/// <param name="Scheme">What was resampled.</param>
/// <param name="Replicates">Replicates drawn, fitted or not.</param>
/// <param name="Seed">Seed of the resampling.</param>
/// <param name="Level">Level of the parameters' percentile intervals.</param>
/// <param name="Samples">Parameter vectors of the replicates that fitted.</param>
/// <param name="ResidualQuantiles">Ascending quantiles of the relative training residuals.</param>
public sealed record BootstrapSamples(BootstrapScheme Scheme, int Replicates, int Seed, double Level, IReadOnlyList<double[]> Samples, double[] ResidualQuantiles)
{
    /// <summary>Number of residual quantiles kept (K).</summary>
    public const int ResidualQuantileCount = 100;

    /// <summary>The fixed block length when one was asked for; null when ceil(n^(1/3)) per curve was used.</summary>
    public int? BlockLength { get; init; }

    /// <summary>Replicates whose refit failed (left out of <see cref="Samples"/>).</summary>
    public int Failed => Replicates - Samples.Count;

    /// <summary>Probability of residual quantile k of K: (k + 1/2) / K.</summary>
    public static double ResidualProbability(int k, int count) => (k + 0.5) / count;

    /// <summary>The K residual quantiles of relative residuals (type 7 from the sorted values).</summary>
    public static double[] QuantilesOf(IEnumerable<double> residuals, int count = ResidualQuantileCount)
    {
        var sorted = residuals.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No residuals to summarise.");
        Array.Sort(sorted);
        var q = new double[count];
        for (int k = 0; k < count; k++) q[k] = Quantile.OfSorted(sorted, ResidualProbability(k, count));
        return q;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first thing that does not fit a law with <paramref name="parameterCount"/> parameters.</summary>
    public void Check(int parameterCount)
    {
        if (!Enum.IsDefined(Scheme)) throw new ArgumentException($"unknown scheme {Scheme}.");
        if (Replicates < 1) throw new ArgumentException($"replicates is {Replicates} (must be at least 1).");
        if (!(Level > 0 && Level < 1)) throw new ArgumentException($"level is {Level} (must be between 0 and 1).");
        if (BlockLength is < 1) throw new ArgumentException($"blockLength is {BlockLength} (must be at least 1).");
        if (Samples.Count < 2) throw new ArgumentException($"{Samples.Count} sample(s) (at least 2 are needed for a spread).");
        if (Samples.Count > Replicates) throw new ArgumentException($"{Samples.Count} samples but only {Replicates} replicates.");
        for (int b = 0; b < Samples.Count; b++)
        {
            if (Samples[b].Length != parameterCount) throw new ArgumentException($"sample {b + 1} has {Samples[b].Length} values; the law has {parameterCount} parameters.");
            if (!Samples[b].All(double.IsFinite)) throw new ArgumentException($"sample {b + 1} has a value that is not finite.");
        }
        if (ResidualQuantiles.Length == 0) throw new ArgumentException("no residual quantiles.");
        for (int k = 0; k < ResidualQuantiles.Length; k++)
        {
            double q = ResidualQuantiles[k];
            if (!double.IsFinite(q) || q <= -1) throw new ArgumentException($"residual quantile {k + 1} is {q} (a relative residual must be finite and above -1).");
            if (k > 0 && q < ResidualQuantiles[k - 1]) throw new ArgumentException($"residual quantiles are not ascending at {k + 1}.");
        }
    }

    /// <summary>
    /// Per parameter: the estimate, the samples' median and standard deviation, and the central
    /// percentile interval [q((1 - level)/2), q((1 + level)/2)] of the samples (type-7 quantiles).
    /// </summary>
    public IReadOnlyList<ParameterInterval> Intervals(IReadOnlyList<string> names, IReadOnlyList<double> estimate, double? level = null)
    {
        double a = level ?? Level;
        if (!(a > 0 && a < 1)) throw new ArgumentException($"level is {a} (must be between 0 and 1).");
        if (names.Count != estimate.Count) throw new ArgumentException("names and estimate differ in length.");
        var result = new ParameterInterval[names.Count];
        var column = new double[Samples.Count];
        for (int j = 0; j < names.Count; j++)
        {
            for (int b = 0; b < column.Length; b++) column[b] = Samples[b][j];
            Array.Sort(column);
            result[j] = new ParameterInterval(names[j], estimate[j], Quantile.OfSorted(column, 0.5), Quantile.StandardDeviation(column),
                Quantile.OfSorted(column, (1 - a) / 2), Quantile.OfSorted(column, (1 + a) / 2), a);
        }
        return result;
    }
}
