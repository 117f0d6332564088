namespace HyperLaws.Laws.Joint;

/// <summary>
/// The noise of <see cref="JointLaw"/> relaxed on the Multi-Power Law's own clock (<see cref="JointNoise.Clock"/>).
/// The Multi-Power Law (Luo et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules",
/// arXiv 2503.12811; ../shared/docs/schedule-laws.md) writes its loss drop as
/// <code>
/// LD(t) = B sum_{k=1..t} (eta_{k-1} - eta_k) G(x_k(t)),   x_k(t) = eta_k^(-gamma) S_k(t),   S_k(t) = sum_{j=k..t} eta_j
/// G(x)  = 1 - (1 + C x)^(-beta),                          eta_0 = 0 (the warmup's increments count, with the other sign)
/// </code>
/// and this class gives the noise level M_clock(t) = -LD(t)/B = sum_k (eta_k - eta_{k-1}) G(x_k(t)): a level that
/// follows the LR, each change relaxing on the clock x. At a constant LR M_clock tends to eta (the floor the LR axis
/// needs); after a cooldown the part sum_k (eta_{k-1} - eta_k) (1 + C x_k)^-beta = M_clock - eta is what the
/// cooldown has not removed yet. The clock runs faster for a decrement made at a small LR (gamma &gt; 0): a longer
/// cooldown ends at smaller LRs, so its drop keeps growing with its length, the dependence the Multi-Power Law
/// captures on the 124M grid and a fixed-lag relaxation (<see cref="NoiseSpectrum"/>, gamma = 0 in intrinsic time
/// or 1 in steps) does not (docs/VALIDATION.md, "Protocol 3 with the joint law"). gamma = 0 is the intrinsic-time
/// family of <see cref="NoiseSpectrum"/> with lambda = 1/C, b = beta.
/// <para>
/// Evaluated with the Multi-Power Law's segment tree over k (<see cref="MultiPowerLaw"/>, whose error bound holds:
/// each value within <see cref="RelativeTolerance"/> times sum_k |eta_{k-1} - eta_k| of the exact sum; tested
/// against the term-by-term sum). A history whose entries stand for <c>stride</c> steps each (at one LR) has
/// S_k(t) = stride (S1(t) - S1(k-1)) in its entries, so its clock is C stride per entry.
/// </para>
/// </summary>
internal static class NoiseClock
{
    /// <summary>The tree's error bound per unit of sum_k |eta_{k-1} - eta_k| (the noise's error in loss is at most W_clock times it, 2e-7 W_clock eta_max).</summary>
    public const double RelativeTolerance = 1e-7;

    /// <summary>Bounds of gamma in a fit: from intrinsic time (0) to twice the step clock (2); the MPL's fits lie near 0.5-0.65.</summary>
    public const double ExponentLo = 0, ExponentHi = 2;

    /// <summary>Bounds of beta in a fit (those of the spectrum's b).</summary>
    public const double ShapeLo = NoiseSpectrum.ShapeLo, ShapeHi = NoiseSpectrum.ShapeHi;

    /// <summary>M_clock(t) at each of <paramref name="steps"/> (entries of a history of <paramref name="stride"/> steps each).</summary>
    public static void Level(ScheduleHistory history, ReadOnlySpan<int> steps, int stride, double c, double beta, double gamma, Span<double> output)
    {
        MultiPowerLaw.LossDropOverB(history, steps, c * stride, beta, gamma, RelativeTolerance, output);
        for (int i = 0; i < steps.Length; i++) output[i] = -output[i];
    }

    /// <summary>M_clock(t) summed term by term (O(t)): the reference for <see cref="Level"/>.</summary>
    public static double Exact(ScheduleHistory history, int t, int stride, double c, double beta, double gamma) =>
        -MultiPowerLaw.ExactLossDropOverB(history, t, c * stride, beta, gamma);
}
