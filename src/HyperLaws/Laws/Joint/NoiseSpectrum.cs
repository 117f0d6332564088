namespace HyperLaws.Laws.Joint;

/// <summary>
/// The structured noise-lag spectrum of <see cref="JointLaw"/> (<see cref="JointNoise.Spectrum"/>): instead of a free
/// non-negative weight per lag, the noise relaxes with the Multi-Power Law's power-law kernel
/// <code>
/// k(x) = (1 + x / lambda)^(-b)
/// </code>
/// the survival function G of the Multi-Power Law's loss drop (Luo et al. 2025, "A Multi-Power Law for Loss Curve
/// Prediction Across Learning Rate Schedules": LD(t) = B sum_k (eta_{k-1} - eta_k) G(eta_k^-gamma S_k(t)),
/// G(x) = 1 - (C x + 1)^-beta, so 1 - G = (1 + C x)^-beta with C = 1/lambda, beta = b). A noise level N that
/// relaxes towards the LR with kernel k is N(t) = sum_k (eta_k - eta_{k-1}) (1 - k(x_k(t))), eta_0 = 0, which is the
/// MPL drop with its level term tied to its drop (the same weight B): the loss at a constant LR keeps B eta, the
/// noise floor that gives the LR axis its cost. x is measured in intrinsic time (gamma = 0 in the MPL) or in steps
/// (gamma = 1: S_k(t)/eta_k is the number of steps at a constant LR); the law has one family of each.
/// <para>
/// Evaluated through the exponential lags the law already uses, without the MPL's O(S^2) double sum: the kernel is a
/// Laplace transform of the gamma distribution of rates r = 1/L,
/// (1 + x/lambda)^-b = integral_0^inf exp(-r x) lambda^b r^(b-1) exp(-lambda r) / Gamma(b) dr,
/// so a mixture of exponential relaxations N_L with lag L and weight (density in ln r) is exactly this kernel. In
/// v = ln r the integrand is h(v) = s^b exp(-s), s = lambda e^v, analytic and decaying in the strip |Im v| &lt; pi/2,
/// so the trapezoid rule with spacing h_v converges geometrically (Trefethen and Weideman 2014, "The exponentially
/// convergent trapezoidal rule", section 5), the more slowly the larger b (|h| in the strip grows like (cos Im v)^-b).
/// Measured against the closed form over the grid's span (scales a decade inside its ends): largest error 5e-3 at
/// three lags per decade and b = 5, 2.5e-5 at four per decade and b &lt;= 3, 1e-5 at five per decade and
/// b &lt;= 5; hence five per decade and b &lt;= 5.
/// The rule's nodes are the lags of <see cref="TimeLags"/> and <see cref="StepLags"/>; the weight of rates faster
/// than the shortest lag goes to an instantaneous feature (the LR itself), that of rates slower than the longest lag
/// to the longest lag (its relaxation then starts too early by at most that weight times x / L_max). Weights are
/// normalised by their sum over all nodes, so Gamma(b) is not needed. Tested against the closed form.
/// </para>
/// </summary>
internal static class NoiseSpectrum
{
    /// <summary>Lags per decade of the quadrature grid.</summary>
    public const int PerDecade = 5;

    /// <summary>Intrinsic-time lags (LR x steps) 1e-5..1e2, five per decade.</summary>
    public static double[] TimeLags { get; } = Grid(1e-5, 1e2);

    /// <summary>Step lags 10..1e7 steps, five per decade.</summary>
    public static double[] StepLags { get; } = Grid(10, 1e7);

    /// <summary>Bounds of the kernel's scale lambda within each grid (a decade inside its ends) and of its exponent b.</summary>
    public static (double Lo, double Hi) ScaleRange(bool steps) => steps ? (StepLags[0] * 10, StepLags[^1] / 10) : (TimeLags[0] * 10, TimeLags[^1] / 10);

    public const double ShapeLo = 0.05, ShapeHi = 5;

    private static double[] Grid(double lo, double hi)
    {
        int n = (int)Math.Round(PerDecade * Math.Log10(hi / lo)) + 1;
        return [.. Enumerable.Range(0, n).Select(i => lo * Math.Pow(10, (double)i / PerDecade))];
    }

    /// <summary>
    /// The mixture weights of the kernel (1 + x/lambda)^-b on <paramref name="lags"/>: <paramref name="weights"/>[m]
    /// for lag m, and the returned weight of the instantaneous feature. They sum to 1.
    /// </summary>
    public static double Weights(IReadOnlyList<double> lags, double lambda, double b, Span<double> weights)
    {
        double step = Math.Log(10) / PerDecade;
        // Density in v = ln r (r = 1/L): s^b exp(-s), s = lambda r = lambda / L (constants cancel in the normalisation).
        static double H(double s, double b) => Math.Exp(b * Math.Log(s) - s);
        double total = 0;
        for (int m = 0; m < lags.Count; m++)
        {
            weights[m] = H(lambda / lags[m], b);
            total += weights[m];
        }
        // Faster rates (lags below the grid): nodes continue down until exp(-s) is negligible.
        double fast = 0;
        for (double s = lambda / lags[0] * Math.Exp(step); s < 800; s *= Math.Exp(step)) fast += H(s, b);
        // Slower rates (lags above the grid): nodes continue up; once s < 1e-6, exp(-s) = 1 to 1e-6 and the rest is
        // the geometric series sum_j (s e^{-j h})^b = s^b e^{-h b} / (1 - e^{-h b}).
        double slow = 0, sNode = lambda / lags[^1] * Math.Exp(-step);
        for (; sNode >= 1e-6; sNode *= Math.Exp(-step)) slow += H(sNode, b);
        slow += Math.Pow(sNode, b) / (1 - Math.Exp(-step * b));
        total += fast + slow;
        for (int m = 0; m < lags.Count; m++) weights[m] /= total;
        weights[lags.Count - 1] += slow / total;
        return fast / total;
    }

    /// <summary>The closed form (1 + x/lambda)^-b.</summary>
    public static double Kernel(double x, double lambda, double b) => Math.Pow(1 + x / lambda, -b);

    /// <summary>
    /// The raw features at the observed steps: for each lag of <see cref="TimeLags"/> and <see cref="StepLags"/> the
    /// LR relaxed with that lag (N_L(t) = d N_L(t-1) + (1 - d) eta_t, d = exp(-eta_t k / L) in intrinsic time,
    /// exp(-k / L) in steps, k the stride), and the LR itself. One pass, O(S x lags).
    /// </summary>
    public static (double[,] Time, double[,] Steps, double[] Eta) Features(ScheduleHistory history, ReadOnlySpan<int> steps, int stride = 1)
    {
        int mt = TimeLags.Length, ms = StepLags.Length;
        var time = new double[steps.Length, mt];
        var stepF = new double[steps.Length, ms];
        var eta0 = new double[steps.Length];
        if (steps.Length == 0) return (time, stepF, eta0);
        var relax = new LagRelaxation(TimeLags, StepLags, stride, []);
        var level = new double[mt + ms];
        double previous = double.NaN;
        int next = 0;
        for (int t = 1; t <= steps[^1]; t++)
        {
            double eta = history.Eta(t);
            if (eta != previous)
            {
                relax.SetRate(eta);
                previous = eta;
            }
            relax.Relax(level, eta);
            while (next < steps.Length && steps[next] == t)
            {
                for (int a = 0; a < mt; a++) time[next, a] = level[a];
                for (int a = 0; a < ms; a++) stepF[next, a] = level[mt + a];
                eta0[next] = eta;
                next++;
            }
        }
        return (time, stepF, eta0);
    }

    /// <summary>
    /// The two mixture features at each observation: sum_m w_m N_m + w_0 eta, with the weights of
    /// <see cref="Weights"/> for (lambda_time, b) on the intrinsic-time lags and (lambda_steps, b) on the step lags.
    /// </summary>
    public static void Mix((double[,] Time, double[,] Steps, double[] Eta) raw, double lambdaTime, double lambdaSteps, double b, Span<double> time, Span<double> steps)
    {
        Span<double> wt = stackalloc double[TimeLags.Length];
        Span<double> ws = stackalloc double[StepLags.Length];
        double w0t = Weights(TimeLags, lambdaTime, b, wt), w0s = Weights(StepLags, lambdaSteps, b, ws);
        for (int i = 0; i < raw.Eta.Length; i++)
        {
            double a = w0t * raw.Eta[i], c = w0s * raw.Eta[i];
            for (int m = 0; m < wt.Length; m++) a += wt[m] * raw.Time[i, m];
            for (int m = 0; m < ws.Length; m++) c += ws[m] * raw.Steps[i, m];
            time[i] = a;
            steps[i] = c;
        }
    }
}
