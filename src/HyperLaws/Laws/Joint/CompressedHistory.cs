namespace HyperLaws.Laws.Joint;

/// <summary>
/// A history compressed for the fit's repeated evaluation of tau at many kappas: blocks of at most
/// <see cref="Block"/> entries (never across an observed step), each replaced by two nodes at its mean LR plus and
/// minus the standard deviation of its LRs, each weighing half the block. The two nodes match the block's first
/// and second moments, so sum g(eta_k) is exact for g quadratic and off by O(sd^4 times g's fourth derivative)
/// otherwise; exact on constant stretches (sd = 0), where consecutive equal blocks are merged into one node.
/// Measured on a 300-step warmup: within 1e-5 of the exact sum while kappa eta &lt;= 0.6, 1e-3 at kappa eta = 6.
/// Predictions (<see cref="JointLaw.Predict(ReadOnlySpan{double}, ScheduleHistory, double, double, ReadOnlySpan{int}, Span{double})"/>) are exact.
/// </summary>
internal sealed class CompressedHistory
{
    public const int Block = 64;

    private readonly double[] _eta;
    private readonly double[] _weight;
    private readonly int[] _end;       // nodes up to and including observation i: [0, _end[i])

    public CompressedHistory(ScheduleHistory history, ReadOnlySpan<int> steps, int stride = 1)
    {
        var eta = new List<double>();
        var weight = new List<double>();
        _end = new int[steps.Length];
        int start = 1;
        bool lastMergeable = false;
        for (int i = 0; i < steps.Length; i++)
        {
            while (start <= steps[i])
            {
                int stop = Math.Min(steps[i], start + Block - 1);
                int length = stop - start + 1;
                double mean = 0;
                for (int t = start; t <= stop; t++) mean += history.Eta(t);
                mean /= length;
                double variance = 0;
                for (int t = start; t <= stop; t++) variance += (history.Eta(t) - mean) * (history.Eta(t) - mean);
                double sd = Math.Sqrt(variance / length);
                if (sd == 0)
                {
                    if (lastMergeable && eta[^1] == mean) weight[^1] += length * stride;
                    else
                    {
                        eta.Add(mean);
                        weight.Add(length * stride);
                    }
                    lastMergeable = true;
                }
                else
                {
                    eta.Add(mean - sd);
                    weight.Add(0.5 * length * stride);
                    eta.Add(mean + sd);
                    weight.Add(0.5 * length * stride);
                    lastMergeable = false;
                }
                start = stop + 1;
            }
            _end[i] = eta.Count;
            lastMergeable = false;   // a node that ends an observation is not extended past it
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
