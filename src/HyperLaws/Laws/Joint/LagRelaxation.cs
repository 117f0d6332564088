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

    /// <summary>The relaxation of <see cref="JointLaw"/>'s free lags: <see cref="JointLaw.TimeLags"/> then <see cref="JointLaw.StepLags"/>.</summary>
    /// <param name="stride">Steps per history entry.</param>
    /// <param name="active">Which of the <see cref="JointLaw.NoiseCount"/> lags relax (the others are not computed).</param>
    public LagRelaxation(int stride, ReadOnlySpan<bool> active) : this(JointLaw.TimeLags, JointLaw.StepLags, stride, active)
    {
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
        for (int i = _timeLag.Length; i < _on.Length; i++) _decay[i] = Math.Exp(-stride / stepLags[_on[i] - mt]);
    }

    /// <summary>The active lags, ascending (the intrinsic-time lags first): the lag of each level.</summary>
    public ReadOnlySpan<int> Lags => _on;

    /// <summary>The number of active lags (levels per target).</summary>
    public int Count => _on.Length;

    /// <summary>The intrinsic-time lags' decays at clock rate <paramref name="rate"/> (eta, or the effective step's); call when it changes.</summary>
    public void SetRate(double rate)
    {
        var lags = _timeLag;
        for (int i = 0; i < lags.Length; i++) _decay[i] = Math.Exp(-_stride * rate / lags[i]);
    }

    /// <summary>One step of every level of <paramref name="level"/> (<see cref="Count"/> of them) towards <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Relax(Span<double> level, double target)
    {
        var decay = _decay;
        for (int i = 0; i < decay.Length; i++) level[i] = decay[i] * level[i] + (1 - decay[i]) * target;
    }
}
