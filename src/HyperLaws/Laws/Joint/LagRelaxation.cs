using System.Runtime.CompilerServices;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// The relaxation of noise levels towards a target with exponential lags, written once for <see cref="JointLaw"/>'s free lags
/// (<see cref="JointFeatures.Exact"/>, <see cref="JointFeatures.FreeLagLevels"/>, <see cref="JointFeatures.NoisePowerSlopes"/>) and
/// the spectrum's nodes (<see cref="NoiseSpectrum.Features"/>): each active lag m relaxes N_m(t) = d_m(t) N_m(t-1) + (1 - d_m(t)) y_t
/// towards a target y_t (eta, eta^p, or d(eta^p)/dp for the slopes), with the decay d_m = exp(-k r / lag_m) of an intrinsic-time lag
/// (r the clock's rate, <see cref="SetRate"/>) and exp(-k / lag_m) of a step lag, k the stride (optimizer steps per history entry).
/// The levels are the caller's, one per active lag in the order of <see cref="Lags"/> (a block per target when several relax with
/// the same decays). Each value is computed by the operations, in the order, that each caller used when it had its own loop, so the
/// features are unchanged bit for bit (JointRelaxationTests; LAW.json and protocol 7 compared with the build before).
/// </summary>
internal sealed class LagRelaxation
{
    private readonly int[] _on;
    private readonly double[] _timeLag;
    private readonly double[] _decay;
    private readonly int _stride;
    // Anchored decays (see SetRate): off, or the anchor's rate and its exact decays.
    private readonly bool _anchored;
    private readonly double[] _anchorDecay;
    private readonly double[] _inverseLag; // 1 / lag of the intrinsic-time lags (x by a multiply: its rounding is far below x's reach)
    private readonly double _reach;        // the largest |k (r - r_a)| the polynomial takes: 2^-8 x the smallest lag
    private double _anchorRate = double.NaN;
    private int _fromAnchor; // the leading lags whose decays come from the anchor (|a| >= 2^-6); the others take exp

    /// <summary>The relaxation of <see cref="JointLaw"/>'s free lags: <see cref="JointLaw.TimeLags"/> then <see cref="JointLaw.StepLags"/>.</summary>
    /// <param name="stride">Steps per history entry.</param>
    /// <param name="active">Which of the <see cref="JointLaw.NoiseCount"/> lags relax (the others are not computed).</param>
    /// <param name="anchoredDecays">The intrinsic-time decays from an anchored exp (<see cref="SetRate"/>): within a few ulps of
    /// <see cref="Math.Exp(double)"/>'s, not bit for bit; only the planner's predictions ask for it.</param>
    public LagRelaxation(int stride, ReadOnlySpan<bool> active, bool anchoredDecays = false) : this(JointLaw.TimeLags, JointLaw.StepLags, stride, active)
    {
        _anchored = anchoredDecays;
    }

    /// <param name="timeLags">The intrinsic-time lags, lags 0 .. T - 1.</param>
    /// <param name="stepLags">The step lags, lags T ...</param>
    /// <param name="stride">Steps per history entry.</param>
    /// <param name="active">Which lags relax (the others are not computed); empty: all.</param>
    public LagRelaxation(IReadOnlyList<double> timeLags, IReadOnlyList<double> stepLags, int stride, ReadOnlySpan<bool> active)
    {
        int mt = timeLags.Count, m = mt + stepLags.Count;
        var on = new List<int>(m);
        for (int a = 0; a < m; a++)
            if (active.IsEmpty || active[a]) on.Add(a);
        _on = [.. on];
        _timeLag = [.. on.Where(a => a < mt).Select(a => timeLags[a])];
        _stride = stride;
        _decay = new double[_on.Length];
        _anchorDecay = new double[_timeLag.Length];
        _inverseLag = [.. _timeLag.Select(lag => 1 / lag)];
        _reach = _timeLag.Length > 0 ? AnchorReach * _timeLag[0] : 0;
        for (int i = _timeLag.Length; i < _on.Length; i++) _decay[i] = Math.Exp(-stride / stepLags[_on[i] - mt]);
    }

    /// <summary>The active lags, ascending (the intrinsic-time lags first): the lag of each level.</summary>
    public ReadOnlySpan<int> Lags => _on;

    /// <summary>The number of active lags (levels per target).</summary>
    public int Count => _on.Length;

    /// <summary>The intrinsic-time lags' decays at clock rate <paramref name="rate"/> (eta, or the effective step's); call when it changes.</summary>
    /// <remarks>
    /// Anchored (issue 12, helper coldmargin; docs/VALIDATION.md "J(s)'s decays from an anchored exp"): exp(a + x) = exp(a) exp(x),
    /// with a = -k r_a / lag at an anchor rate r_a, where <see cref="Math.Exp(double)"/> is taken (the decays there are the exact
    /// path's bit for bit), and x = -k (r - r_a) (1 / lag): exp(x) by its Taylor polynomial of degree 5 while |x| &lt;= 2^-8 for every
    /// lag (the remainder is below x^6 / 720 &lt;= 5e-18, under 0.05 ulp), else r becomes the anchor. Each decay is one anchor exp
    /// times one polynomial (no recurrence, so no drift): within about 2 ulp (1 + |a|) of exp's. Only lags with |a| &gt;= 2^-6 take
    /// it: near 1 an ulp of the decay is a relative 1e-16 / (1 - d) of 1 - d, the level's weight (lag 10 in a warmup: 1e-10), so
    /// those lags keep exp (their |a + x| &gt;= 2^-6 - 2^-8 bounds the level's relative error near 3e-16 / 0.0117, about 3e-14).
    /// Along a cosine, whose LR changes at every step by much less than 2^-8 lag / k, most steps take the polynomial.
    /// </remarks>
    public void SetRate(double rate)
    {
        var lags = _timeLag;
        if (_anchored && lags.Length > 0)
        {
            // lags ascend (a sub-list of JointLaw.TimeLags), so |x| is largest at the first; NaN before the first anchor.
            double dx = -_stride * (rate - _anchorRate);
            if (Math.Abs(dx) <= _reach)
            {
                int from = _fromAnchor;
                var inverse = _inverseLag;
                for (int i = 0; i < from; i++) _decay[i] = _anchorDecay[i] * ExpNearZero(dx * inverse[i]);
                for (int i = from; i < lags.Length; i++) _decay[i] = Math.Exp(-_stride * rate / lags[i]);
                return;
            }
            _anchorRate = rate;
            _fromAnchor = 0;
            for (int i = 0; i < lags.Length; i++)
            {
                double a = -_stride * rate / lags[i];
                _decay[i] = _anchorDecay[i] = Math.Exp(a);
                if (Math.Abs(a) >= AnchorFloor) _fromAnchor = i + 1;
            }
            return;
        }
        for (int i = 0; i < lags.Length; i++) _decay[i] = Math.Exp(-_stride * rate / lags[i]);
    }

    /// <summary>The largest |x| the anchored decays take from the polynomial: 2^-8.</summary>
    internal const double AnchorReach = 1.0 / 256;

    /// <summary>The smallest |a| at the anchor whose lag takes the polynomial: 2^-6 (a decay nearer 1 keeps exp).</summary>
    internal const double AnchorFloor = 1.0 / 64;

    /// <summary>exp(x) for |x| &lt;= <see cref="AnchorReach"/>: 1 + x + x^2/2 + ... + x^5/120 by Horner's rule.</summary>
    /// <remarks>Plain multiplies and adds, not <see cref="Math.FusedMultiplyAdd"/>: FMA is not in the ReadyToRun images' baseline
    /// instruction set, and the last add's rounding (0.5 ulp) dominates either way, as |x p| &lt;= 2^-8 (1 + 2^-8).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ExpNearZero(double x) => 1 + x * (1 + x * (0.5 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120)))));

    /// <summary>One step of every level of <paramref name="level"/> (<see cref="Count"/> of them) towards <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Relax(Span<double> level, double target)
    {
        var decay = _decay;
        for (int i = 0; i < decay.Length; i++) level[i] = decay[i] * level[i] + (1 - decay[i]) * target;
    }
}
