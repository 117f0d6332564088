namespace HyperLaws.Laws;

/// <summary>
/// The LR-annealing law (<see cref="AnnealingLaw"/>, Tissue et al. 2024, arXiv 2408.11029) with the progress term's clock
/// counting a step at a lower LR by a power p of its LR ("tissue-p"; declared in docs/VALIDATION.md, "Protocol 3: ranking
/// cooldowns after training on long ones", helper p3rank):
/// <code>
/// L(s) = L0 + A T_p(s)^(-alpha) - C S2(s),   T_p(s) = sum_{i&lt;=s} eta_max (eta_i / eta_max)^p,   0 &lt;= p &lt;= 1
/// </code>
/// with S2 and its momentum (lambda = 0.999) as in <see cref="AnnealingLaw"/> and eta_max the largest LR of the schedule. p = 1
/// is the published law (T_1 = S1, the LR sum); p &lt; 1 counts a step at a low LR for more than its share of the LR sum, so a
/// long cooldown loses less progress than S1 says; p = 0 counts every step as a step at the peak. The ends: p &lt;= 1 (a step
/// at a high LR never makes more progress per unit of LR than one at a low LR: near the stability edge it makes less), p &gt;= 0
/// (a step at a lower LR never makes more progress than one at the peak). p is fitted with L0, A, alpha and C; searched as a
/// logarithm with the box p &lt;= 1. Parameters: L0, A, alpha, C, p.
/// </summary>
public sealed class AnnealingPowerLaw : IDifferentiableLaw, IBoundedLaw
{
    /// <summary>Indices of L0, A, alpha, C and p in the parameter vector.</summary>
    public const int L0 = 0, A = 1, Alpha = 2, C = 3, P = 4;

    private static readonly string[] Names = ["L0", "A", "alpha", "C", "p"];

    /// <summary>The law with the annealing momentum's decay factor <paramref name="lambda"/> (0.999 as published).</summary>
    /// <exception cref="ArgumentOutOfRangeException">lambda is not in [0, 1).</exception>
    public AnnealingPowerLaw(double lambda = 0.999)
    {
        if (!(lambda >= 0 && lambda < 1)) throw new ArgumentOutOfRangeException(nameof(lambda), "lambda must be in [0, 1).");
        Lambda = lambda;
    }

    /// <inheritdoc/>
    public string Name => "tissue-p";

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => Names;

    /// <summary>The decay factor lambda of the annealing momentum (fixed, not fitted).</summary>
    public double Lambda { get; }

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive { get; } = [false, true, true, true, true];

    /// <summary>p at most 1 (the published law); the other parameters free.</summary>
    public ParameterBounds? Bounds { get; } = new(
        [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity],
        [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, 1]);

    /// <summary><see cref="AnnealingLaw"/>'s starts with p = 1 (the published law) and with p = 0.5.</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) =>
        [.. new AnnealingLaw(Lambda).StartingPoints(targets).SelectMany(s => new[] { (double[])[.. s, 1.0], [.. s, 0.5] })];

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output) =>
        Evaluate(p, history, steps, output, default);

    /// <summary>Predictions and their derivatives with respect to L0, A, alpha, C, p (row-major, 5 per step).</summary>
    public void PredictWithGradient(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        if (gradient.Length < steps.Length * Names.Length) throw new ArgumentException("The gradient is shorter than steps x parameters.");
        Evaluate(p, history, steps, output, gradient);
    }

    /// <summary>T_p(t) for t = 0..<paramref name="last"/> and dT_p/dp (sum of eta_max r^p ln r, r = eta_i / eta_max), in one pass.</summary>
    public static (double[] T, double[] DT) Clock(ScheduleHistory history, double power, int last)
    {
        ArgumentNullException.ThrowIfNull(history);
        var logs = history.Cache(LogRatios.Build);
        var t = new double[last + 1];
        var dt = new double[last + 1];
        double sum = 0, dsum = 0;
        for (int i = 1; i <= last; i++)
        {
            double lr = logs.Ln[i];
            if (!double.IsNegativeInfinity(lr))
            {
                double term = logs.Max * Math.Exp(power * lr);
                sum += term;
                dsum += term * lr;
            }
            t[i] = sum;
            dt[i] = dsum;
        }
        return (t, dt);
    }

    private void Evaluate(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output, Span<double> gradient)
    {
        LawArguments.Check(this, p, history, steps, output);
        int last = 0;
        foreach (int s in steps) last = Math.Max(last, s);
        var (clock, dclock) = Clock(history, p[P], last);
        var s2 = AnnealingLaw.AnnealingArea(history, Lambda);
        bool withGradient = !gradient.IsEmpty;
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            double power = Math.Pow(clock[t], -p[Alpha]);
            output[i] = p[L0] + p[A] * power - p[C] * s2[t];
            if (!withGradient) continue;
            var g = gradient.Slice(i * Names.Length, Names.Length);
            g[L0] = 1;
            g[A] = power;
            g[Alpha] = -p[A] * power * Math.Log(clock[t]);
            g[C] = -s2[t];
            g[P] = -p[Alpha] * p[A] * power / clock[t] * dclock[t];
        }
    }

    /// <summary>ln(eta_i / eta_max) for i = 0..S (negative infinity where eta_i = 0) and eta_max, cached per history.</summary>
    private sealed class LogRatios
    {
        public required double[] Ln { get; init; }
        public required double Max { get; init; }

        public static LogRatios Build(ScheduleHistory h)
        {
            double max = 0;
            for (int i = 1; i <= h.Steps; i++) max = Math.Max(max, h.Eta(i));
            var ln = new double[h.Steps + 1];
            ln[0] = double.NegativeInfinity;
            for (int i = 1; i <= h.Steps; i++) ln[i] = h.Eta(i) > 0 ? Math.Log(h.Eta(i) / max) : double.NegativeInfinity;
            return new LogRatios { Ln = ln, Max = max };
        }
    }
}
