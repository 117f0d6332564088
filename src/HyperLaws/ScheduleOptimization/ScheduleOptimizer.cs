using HyperLaws.Laws;
using HyperLaws.Numerics;
using HyperLaws.Schedules;

namespace HyperLaws.ScheduleOptimization;

/// <summary>
/// Free-form schedule optimisation under a fitted law: minimise the predicted final loss L(S) over the post-warmup
/// schedule, parameterised as a piecewise-linear curve through K + 1 knots at steps W + 1 + j (S - W - 1)/K (rounded),
/// j = 0..K. Knot 0 is the peak. Monotone (default): softmax weights w_0..w_K of K + 1 logits z give knot
/// v_j = peak (1 - sum_{i&lt;j} w_i) (j &gt;= 1), so drops w_i &gt;= 0 and the last value v_K = peak w_K &gt;= 0: non-increasing and
/// inside [0, peak] by construction. With <see cref="ScheduleOptimizationOptions.AllowIncrease"/>, v_j = 2 peak sigmoid(z_j).
/// The start is WSD with a linear cooldown over the last 20% of the run to 0; the minimiser is Nelder-Mead
/// (<see cref="NelderMead"/>) restarted from its best point until a restart gains less than 1e-7 relative or the
/// budget is spent. Deterministic; cost = evaluations x one law prediction of S steps.
/// </summary>
public static class ScheduleOptimizer
{
    /// <summary>
    /// The schedule of <paramref name="options"/> that minimises the final loss <paramref name="law"/> predicts with
    /// <paramref name="parameters"/> (at <paramref name="modelSize"/> for a law of several sizes), with its start for comparison.
    /// </summary>
    public static OptimizedSchedule Optimize(ILossLaw law, IReadOnlyList<double> parameters, ScheduleOptimizationOptions options, double modelSize = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        var p = parameters.ToArray();
        var knotSteps = KnotSteps(options);
        int evaluations = 0;
        double Loss(double[] z)
        {
            evaluations++;
            return PredictFinal(law, p, Build(options, knotSteps, Values(options, z)), modelSize);
        }

        var start = StartLogits(options, knotSteps);
        var startSchedule = Build(options, knotSteps, Values(options, start));
        double startLoss = PredictFinal(law, p, startSchedule, modelSize);
        var x = start;
        double best = startLoss;
        double stepSize = 3.0;
        while (evaluations < options.MaxEvaluations)
        {
            int budget = options.MaxEvaluations - evaluations;
            int before = evaluations;
            var r = NelderMead.Minimize(Loss, x, Enumerable.Repeat(stepSize, x.Length).ToArray(), tolerance: 1e-12, maxEvaluations: budget);
            bool gained = r.Value < best;
            double gain = best - r.Value;
            if (gained) (x, best) = (r.X, r.Value);
            if (!gained || gain <= 1e-7 * Math.Abs(best))
            {
                if (stepSize < 0.1 || evaluations == before) break;
                stepSize /= 4;
            }
        }
        var values = Values(options, x);
        var schedule = Build(options, knotSteps, values);
        return new OptimizedSchedule(schedule, PredictFinal(law, p, schedule, modelSize), startSchedule, startLoss, values, knotSteps, evaluations + 1);
    }

    /// <summary>The final loss a law predicts for a schedule.</summary>
    public static double PredictFinal(ILossLaw law, double[] parameters, LrSchedule schedule, double modelSize = double.NaN)
    {
        var y = new double[1];
        law.Predict(parameters, ScheduleHistory.Of(schedule), modelSize, [schedule.Steps], y);
        return double.IsNaN(y[0]) ? double.PositiveInfinity : y[0];
    }

    /// <summary>Knot j at step W + 1 + round(j (S - W - 1) / K).</summary>
    internal static int[] KnotSteps(ScheduleOptimizationOptions o) =>
        [.. Enumerable.Range(0, o.Knots + 1).Select(j => o.Warmup + 1 + (int)Math.Round((double)j * (o.Steps - o.Warmup - 1) / o.Knots, MidpointRounding.AwayFromZero))];

    /// <summary>Knot values from the free parameters (see the class comment).</summary>
    internal static double[] Values(ScheduleOptimizationOptions o, double[] z)
    {
        int k = o.Knots;
        var v = new double[k + 1];
        v[0] = o.Peak;
        if (o.AllowIncrease)
        {
            for (int j = 1; j <= k; j++) v[j] = 2 * o.Peak / (1 + Math.Exp(-z[j - 1]));
            return v;
        }
        double max = z.Max(), sum = 0;
        var w = new double[k + 1];
        for (int i = 0; i <= k; i++) sum += w[i] = Math.Exp(z[i] - max);
        double dropped = 0;
        for (int j = 1; j <= k; j++)
        {
            dropped += w[j - 1] / sum;
            v[j] = Math.Max(0, o.Peak * (1 - dropped));
        }
        // Rounding may leave the last value a hair off peak * w_K; keep the order exact.
        for (int j = 1; j <= k; j++) v[j] = Math.Min(v[j], v[j - 1]);
        return v;
    }

    /// <summary>Logits of the start: WSD, constant at the peak then linear to 0 over the last 20% of the run.</summary>
    internal static double[] StartLogits(ScheduleOptimizationOptions o, int[] knotSteps)
    {
        int k = o.Knots;
        int cooldownStart = o.Steps - (int)Math.Round(0.2 * o.Steps);
        var target = knotSteps.Select(t => t <= cooldownStart ? o.Peak : o.Peak * Math.Max(0, (double)(o.Steps - t) / (o.Steps - cooldownStart))).ToArray();
        if (o.AllowIncrease)
            return [.. Enumerable.Range(1, k).Select(j => Logit(Math.Clamp(target[j] / (2 * o.Peak), 1e-4, 1 - 1e-4)))];
        // Drops between knots as fractions of the peak, the rest (the final value) last; floor each at 1e-4 so the logits stay finite.
        var w = new double[k + 1];
        for (int j = 1; j <= k; j++) w[j - 1] = Math.Max(1e-4, (target[j - 1] - target[j]) / o.Peak);
        w[k] = Math.Max(1e-4, target[k] / o.Peak);
        return [.. w.Select(x => Math.Log(x))];
    }

    private static double Logit(double q) => Math.Log(q / (1 - q));

    /// <summary>Linear warmup to the peak over W steps, then linear interpolation between the knots (steps W+1..S).</summary>
    internal static TableSchedule Build(ScheduleOptimizationOptions o, int[] knotSteps, double[] values)
    {
        var table = new double[o.Steps - o.Warmup];
        int seg = 0;
        for (int t = o.Warmup + 1; t <= o.Steps; t++)
        {
            while (seg < knotSteps.Length - 2 && t > knotSteps[seg + 1]) seg++;
            int a = knotSteps[seg], b = knotSteps[seg + 1];
            double q = b == a ? 1 : (double)(t - a) / (b - a);
            table[t - o.Warmup - 1] = Math.Max(0, values[seg] + (values[seg + 1] - values[seg]) * q);
        }
        return new TableSchedule(table, o.Warmup);
    }
}
