namespace HyperLaws.Laws.Joint;

/// <summary>
/// The features of <see cref="JointLaw"/> at given steps of one history: tau (saturating intrinsic time), K
/// (eta-weighted mean LR) and the noise features N_m, each in one pass over the steps.
/// </summary>
internal sealed class JointFeatures(double[] tau, double[] k, double[,] noise)
{
    public double[] Tau { get; } = tau;

    public double[] K { get; } = k;

    public double[,] Noise { get; } = noise;

    /// <summary>Exact features: one pass over steps 1..last, O(S M).</summary>
    public static JointFeatures Exact(ScheduleHistory history, ReadOnlySpan<int> steps, double kappa)
    {
        var lags = JointLaw.TimeLags;
        int m = JointLaw.NoiseCount, mt = lags.Count;
        var tau = new double[steps.Length];
        var k = new double[steps.Length];
        var noise = new double[steps.Length, m];
        if (steps.Length == 0) return new JointFeatures(tau, k, noise);
        var level = new double[m];
        var decay = new double[m];
        for (int a = mt; a < m; a++) decay[a] = Math.Exp(-1 / JointLaw.StepLags[a - mt]);
        double t1 = 0, comp = 0, previous = double.NaN;
        int next = 0;
        for (int t = 1; t <= steps[^1]; t++)
        {
            double eta = history.Eta(t);
            if (eta != previous)
            {
                for (int a = 0; a < mt; a++) decay[a] = Math.Exp(-eta / lags[a]);
                previous = eta;
            }
            // Neumaier-compensated sum of eta/(1 + kappa eta): long runs lose no precision.
            double g = eta / (1 + kappa * eta), s = t1 + g;
            comp += Math.Abs(t1) >= Math.Abs(g) ? (t1 - s) + g : (g - s) + t1;
            t1 = s;
            for (int a = 0; a < m; a++) level[a] = decay[a] * level[a] + (1 - decay[a]) * eta;
            while (next < steps.Length && steps[next] == t)
            {
                tau[next] = t1 + comp;
                double s1 = history.S1(t);
                k[next] = s1 > 0 ? history.Q(t) / s1 : 0;
                for (int a = 0; a < m; a++) noise[next, a] = level[a];
                next++;
            }
        }
        return new JointFeatures(tau, k, noise);
    }
}

/// <summary>
/// A history compressed for the fit's repeated evaluation of tau at many kappas: blocks of at most
/// <see cref="Block"/> steps (never across an observed step), each one node (mean LR, length). Within a block
/// sum g(eta_k) is replaced by its length times g(mean eta): exact on constant stretches, and on a linear ramp
/// off by the block's LR variance times g''/2 (relative error below 1e-5 for blocks of 64 steps of a cooldown
/// of a few thousand steps). Equal consecutive constant blocks are merged.
/// </summary>
internal sealed class CompressedHistory
{
    public const int Block = 64;

    private readonly double[] _eta;
    private readonly double[] _weight;
    private readonly int[] _end;       // nodes up to and including observation i: [0, _end[i])

    public CompressedHistory(ScheduleHistory history, ReadOnlySpan<int> steps)
    {
        var eta = new List<double>();
        var weight = new List<double>();
        _end = new int[steps.Length];
        int start = 1;
        for (int i = 0; i < steps.Length; i++)
        {
            while (start <= steps[i])
            {
                int stop = Math.Min(steps[i], start + Block - 1);
                double first = history.Eta(start);
                bool constant = true;
                for (int t = start + 1; t <= stop && constant; t++) constant = history.Eta(t) == first;
                double mean = constant ? first : (history.S1(stop) - history.S1(start - 1)) / (stop - start + 1);
                int length = stop - start + 1;
                if (constant && eta.Count > 0 && eta[^1] == first && (i == 0 || _end[i - 1] < eta.Count)) weight[^1] += length;
                else
                {
                    eta.Add(mean);
                    weight.Add(length);
                }
                start = stop + 1;
            }
            _end[i] = eta.Count;
        }
        _eta = [.. eta];
        _weight = [.. weight];
    }

    public int Nodes => _eta.Length;

    /// <summary>tau at each observation for this kappa, written into <paramref name="tau"/>.</summary>
    public void Tau(double kappa, Span<double> tau)
    {
        double sum = 0;
        int node = 0;
        for (int i = 0; i < _end.Length; i++)
        {
            for (; node < _end[i]; node++) sum += _weight[node] * _eta[node] / (1 + kappa * _eta[node]);
            tau[i] = sum;
        }
    }
}
