
namespace HyperLaws.Laws;

/// <summary>
/// The LR-annealing scaling law of Tissue et al. 2024 (arXiv 2408.11029):
/// <code>
/// L(s) = L0 + A S1(s)^(-alpha) - C S2(s),   S1(s) = sum_{i&lt;=s} eta_i,   S2(s) = sum_{i&lt;=s} m_i,
/// m_i = lambda m_{i-1} + (eta_{i-1} - eta_i),   m_0 = 0
/// </code>
/// with the decay factor lambda fixed (0.999 as published). Parameters: L0, A, alpha, C.
/// The initial warmup (the leading stretch where eta rises to its first maximum) counts in S1 but
/// not in the annealing momentum: the law describes annealing, and a warmup's negative drops would
/// otherwise register as "anti-annealing". Later LR rises (re-warming in continual training) do count.
/// </summary>
public sealed class AnnealingLaw : IFittableLaw, IExplainableLaw, IProgressLaw, IBoundedLaw
{
    /// <summary>Indices of L0, A, alpha and C in the parameter vector.</summary>
    public const int L0 = 0, A = 1, Alpha = 2, C = 3;

    private static readonly string[] Names = ["L0", "A", "alpha", "C"];

    /// <summary>The law with the annealing momentum's decay factor <paramref name="lambda"/> (0.999 as published).</summary>
    /// <exception cref="ArgumentOutOfRangeException">lambda is not in [0, 1).</exception>
    public AnnealingLaw(double lambda = 0.999)
    {
        if (!(lambda >= 0 && lambda < 1)) throw new ArgumentOutOfRangeException(nameof(lambda), "lambda must be in [0, 1).");
        Lambda = lambda;
    }

    /// <inheritdoc/>
    public string Name => "tissue";

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => Names;

    /// <summary>The decay factor lambda of the annealing momentum m_i (fixed, not fitted).</summary>
    public double Lambda { get; }

    /// <summary>
    /// A box the fit keeps the parameters inside (<see cref="LawFitter"/>; e.g. the floor held to the physical range,
    /// <see cref="PhysicalFloor"/>); null (the default): none, the fit as before. It changes only the fit, not the law's values.
    /// </summary>
    public ParameterBounds? Bounds
    {
        get;
        init
        {
            if (value is not null && value.Count != Names.Length) throw new ArgumentException($"The bounds cover {value.Count} parameters; tissue has {Names.Length}.");
            field = value;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive { get; } = [false, true, true, true];

    /// <inheritdoc/>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        double min = targets.Min(t => t.Loss.Min());
        return [[min - 0.3, 0.5, 0.5, 0.3], [min - 0.6, 0.8, 0.4, 1.0], [min - 0.15, 0.3, 0.6, 3.0]];
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        LawArguments.Check(this, p, history, steps, output);
        var s2 = AnnealingArea(history, Lambda);
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            output[i] = p[L0] + p[A] * Math.Pow(history.S1(t), -p[Alpha]) - p[C] * s2[t];
        }
    }

    /// <summary>The progress part L0 + A S1(t)^-alpha; the rest of L(t) is the annealing term -C S2(t).</summary>
    public double Progress(ReadOnlySpan<double> p, ScheduleHistory history, int step) => p[L0] + p[A] * Math.Pow(history.S1(step), -p[Alpha]);

    /// <summary>L0, the convergence term A S1^-alpha and the annealing term -C S2.</summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step)
    {
        LawArguments.Check(this, p, history, [step], new double[1]);
        double conv = Math.Pow(history.S1(step), -p[Alpha]), s2 = AnnealingArea(history, Lambda)[step];
        return
        [
            new("L0", "L0", 1, p[L0]),
            new("convergence", "A S1^-alpha", conv, p[A] * conv),
            new("annealing", $"-C S2 (annealing momentum, lambda = {Lambda.ToString(System.Globalization.CultureInfo.InvariantCulture)})", s2, -p[C] * s2),
        ];
    }

    /// <summary>S2(t) for t = 0..S (cached per history and lambda).</summary>
    public static double[] AnnealingArea(ScheduleHistory h, double lambda)
    {
        var byLambda = h.Cache(_ => new AreaCache());
        lock (byLambda)
        {
            if (!byLambda.TryGetValue(lambda, out var s2)) byLambda[lambda] = s2 = Compute(h, lambda);
            return s2;
        }
    }

    private sealed class AreaCache : Dictionary<double, double[]>;

    private static double[] Compute(ScheduleHistory h, double lambda)
    {
        int warmupEnd = 1;
        while (warmupEnd < h.Steps && h.Eta(warmupEnd + 1) >= h.Eta(warmupEnd)) warmupEnd++;
        var s2 = new double[h.Steps + 1];
        double m = 0, sum = 0;
        for (int i = 1; i <= h.Steps; i++)
        {
            if (i > warmupEnd) m = lambda * m + (h.Eta(i - 1) - h.Eta(i));
            sum += m;
            s2[i] = sum;
        }
        return s2;
    }
}
