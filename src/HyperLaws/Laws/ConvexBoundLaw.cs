using HyperLaws.Fitting;

namespace HyperLaws.Laws;

/// <summary>
/// The convex last-iterate bound of Defazio et al., used by Schaipp et al. 2025 (arXiv 2501.18965) to
/// explain LR schedules. For a run stopped after T steps with LRs eta_1..eta_T:
/// <code>
/// Omega_T = D^2/(2 sum eta) + G^2 sum eta^2/(2 sum eta) + 1/2 sum_{k&lt;T} (eta_k/a_k)(g_k/b_k)
/// a_k = sum_{t=k+1..T} eta_t,  b_k = sum_{t=k..T} eta_t,  g_k = G^2 sum_{t=k..T} eta_t^2
/// </code>
/// Omega_T = D^2 u_T + G^2 v_T with u_T = 1/(2 S1(T)) and v_T = Q(T)/(2 S1(T)) + 1/2 sum_k (eta_k/a_k)(q_k/b_k),
/// q_k = Q(T) - Q(k-1). Fitted to a curve as loss(T) = c + m Omega_T = c + P u_T + R v_T, so the
/// parameters are c, P = m D^2 and R = m G^2 (P, R &gt;= 0). Terms with a_k = 0 (eta = 0 after k) are dropped.
/// </summary>
public sealed class ConvexBoundLaw : IFittableLaw, IExplainableLaw
{
    public const int Offset = 0, DistanceTerm = 1, NoiseTerm = 2;

    private static readonly string[] Names = ["c", "P", "R"];

    public string Name => "convex";

    public IReadOnlyList<string> ParameterNames => Names;

    public IReadOnlyList<bool> Positive { get; } = [false, true, true];

    /// <summary>The law is linear in (c, P, R): start from the ordinary least-squares solution (P, R floored at tiny positives).</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets)
    {
        var ata = new double[3, 3];
        var aty = new double[3];
        foreach (var t in targets)
        {
            for (int i = 0; i < t.Steps.Length; i++)
            {
                var (u, v) = Features(t.History, t.Steps[i]);
                double[] row = [1, u, v];
                for (int a = 0; a < 3; a++)
                {
                    aty[a] += row[a] * t.Loss[i];
                    for (int b = 0; b < 3; b++) ata[a, b] += row[a] * row[b];
                }
            }
        }
        var x = Solve3(ata, aty);
        double min = targets.Min(t => t.Loss.Min());
        return x is null
            ? [[min, 1e-3, 1e3]]
            : [[x[0], Math.Max(x[1], 1e-9), Math.Max(x[2], 1e-9)], [min, 1e-3, 1e3]];
    }

    private static double[]? Solve3(double[,] m, double[] y)
    {
        static double Det(double[,] a) =>
            a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]) + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);
        double d = Det(m);
        if (Math.Abs(d) < 1e-300) return null;
        var x = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var mc = (double[,])m.Clone();
            for (int r = 0; r < 3; r++) mc[r, c] = y[r];
            x[c] = Det(mc) / d; // Cramer's rule
        }
        return x.All(double.IsFinite) ? x : null;
    }

    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
    {
        LawArguments.Check(this, p, history, steps, output);
        var features = history.Cache(_ => new FeatureCache());
        for (int i = 0; i < steps.Length; i++)
        {
            var (u, v) = Features(history, steps[i], features);
            output[i] = p[Offset] + p[DistanceTerm] * u + p[NoiseTerm] * v;
        }
    }

    /// <summary>The offset c, the distance term P u_T and the noise term R v_T.</summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step)
    {
        LawArguments.Check(this, p, history, [step], new double[1]);
        var (u, v) = Features(history, step, history.Cache(_ => new FeatureCache()));
        return
        [
            new("c", "c", 1, p[Offset]),
            new("distance", "P u_T, u_T = 1/(2 sum eta)", u, p[DistanceTerm] * u),
            new("noise", "R v_T (gradient-noise part of the bound)", v, p[NoiseTerm] * v),
        ];
    }

    /// <summary>(u_T, v_T) for a stopping step T: O(T), cached per history.</summary>
    public static (double U, double V) Features(ScheduleHistory h, int T) => Features(h, T, null);

    private sealed class FeatureCache : Dictionary<int, (double U, double V)>;

    private static (double U, double V) Features(ScheduleHistory h, int T, FeatureCache? cache)
    {
        if (cache is not null)
        {
            lock (cache)
                if (cache.TryGetValue(T, out var hit)) return hit;
        }
        double s1 = h.S1(T), q = h.Q(T);
        double tail = 0;
        for (int k = 1; k < T; k++)
        {
            double a = s1 - h.S1(k);
            if (a <= 0 || h.Eta(k) == 0) continue;
            double b = s1 - h.S1(k - 1);
            tail += h.Eta(k) / a * ((q - h.Q(k - 1)) / b);
        }
        var result = (0.5 / s1, q / (2 * s1) + 0.5 * tail);
        if (cache is not null)
        {
            lock (cache) cache[T] = result;
        }
        return result;
    }
}
