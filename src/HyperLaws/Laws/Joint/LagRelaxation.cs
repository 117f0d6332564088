using System.Runtime.CompilerServices;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// The relaxation of <see cref="JointLaw"/>'s free-lag noise levels, written once for <see cref="JointFeatures.Exact"/>,
/// <see cref="JointFeatures.FreeLagLevels"/> and <see cref="JointFeatures.NoisePowerSlopes"/>: each active lag m relaxes
/// N_m(t) = d_m(t) N_m(t-1) + (1 - d_m(t)) y_t towards a target y_t (eta^p, or d(eta^p)/dp for the slopes), with the decay
/// d_m = exp(-k r / lag_m) of an intrinsic-time lag (<see cref="JointLaw.TimeLags"/>; r the clock's rate, <see cref="SetRate"/>) and
/// exp(-k / lag_m) of a step lag (<see cref="JointLaw.StepLags"/>), k the stride (optimizer steps per history entry). The levels are
/// the caller's, one per active lag in the order of <see cref="Lags"/> (a block per target when several relax with the same decays).
/// Each value is computed by the operations, in the order, that each of the three callers used when it had its own loop, so their
/// features are unchanged bit for bit (JointRelaxationTests, and LAW.json and protocol 7 compared with the build before).
/// </summary>
internal sealed class LagRelaxation
{
    private readonly int[] _on;
    private readonly int _timeCount;
    private readonly double[] _decay;
    private readonly int _stride;

    /// <param name="stride">Steps per history entry.</param>
    /// <param name="active">Which of the <see cref="JointLaw.NoiseCount"/> lags relax (the others are not computed).</param>
    public LagRelaxation(int stride, ReadOnlySpan<bool> active)
    {
        int mt = JointLaw.TimeLags.Count;
        var on = new List<int>(active.Length);
        for (int a = 0; a < active.Length; a++)
            if (active[a]) on.Add(a);
        _on = [.. on];
        _timeCount = on.Count(a => a < mt);
        _stride = stride;
        _decay = new double[_on.Length];
        for (int i = _timeCount; i < _on.Length; i++) _decay[i] = Math.Exp(-stride / JointLaw.StepLags[_on[i] - mt]);
    }

    /// <summary>Every lag active.</summary>
    public static bool[] All() => Enumerable.Repeat(true, JointLaw.NoiseCount).ToArray();

    /// <summary>The active lags, ascending (the intrinsic-time lags first): the lag of each level.</summary>
    public ReadOnlySpan<int> Lags => _on;

    /// <summary>The number of active lags (levels per target).</summary>
    public int Count => _on.Length;

    /// <summary>The intrinsic-time lags' decays at clock rate <paramref name="rate"/> (eta, or the effective step's); call when it changes.</summary>
    public void SetRate(double rate)
    {
        var lags = JointLaw.TimeLags;
        for (int i = 0; i < _timeCount; i++) _decay[i] = Math.Exp(-_stride * rate / lags[_on[i]]);
    }

    /// <summary>One step of every level of <paramref name="level"/> (<see cref="Count"/> of them) towards <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Relax(Span<double> level, double target)
    {
        var decay = _decay;
        for (int i = 0; i < decay.Length; i++) level[i] = decay[i] * level[i] + (1 - decay[i]) * target;
    }
}
