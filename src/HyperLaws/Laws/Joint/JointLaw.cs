using System.Globalization;
using HyperLaws.Numerics;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// The joint law ("joint"): final and intermediate loss over the LR schedule, its peak LR, model size N, data
/// (steps x tokens per step) and batch, with an interior optimum in the peak LR. With z = N / N_ref,
/// u = B_ref / B (N_ref = 1e8 parameters, B_ref = 1e6 tokens; z = 1 or u = 1 when N or B is unknown):
/// <code>
/// L(t) = E + B_N (z^(-beta) - 1)                 offset (Chinchilla's E + B N^-beta, Hoffmann et al. 2022)
///      + A z^(-a_N) (tau(t) + s_w)^(-alpha)      progress in saturating intrinsic time
///      + C z^(c_N) K(t)                          descent-lemma cost of the step length (times (D_t/1e10)^omega with
///                                                the cost's data exponent, an option, <see cref="CostDataExponent"/>)
///      + u sum_m w_m N_m(t)                      gradient noise relaxing with lag tau_m (free weights), or
///      + u (W_time M_time(t) + W_steps M_steps(t) + V eta_t)  noise relaxing with the MPL kernel (1 + x/lambda)^-b, or
///      + u (W_clock M_clock(t) + V eta_t)                 noise relaxing on the MPL's own clock eta_k^-gamma S_k(t)
///      + G g(x_hat(t))                           lasting part set by the peak LR (an option, <see cref="LastingWeight"/>; G = 0 by default)
///      + H phi(eta_hat(t) / eta_edge)             stability-edge cost of the peak (an option, <see cref="EdgeHeight"/>; H = 0 by default)
/// tau(t) = sum_{k&lt;=t} eta_k / (1 + kappa eta_k)
/// K(t)   = sum_{k&lt;=t} eta_k^2 / sum_{k&lt;=t} eta_k
/// N_m(t) = d N_m(t-1) + (1 - d) eta_t^p,  d = exp(-eta_t / tau_m) (lags in intrinsic time, OptLaw's features at p = 1;
///          p the noise power, 1 unless <see cref="JointFitOptions.NoisePowers"/> says otherwise, <see cref="NoisePowerLog"/>)
///                                  or d = exp(-1 / L_m)        (lags in steps)
/// M(t)   = sum_k (eta_k - eta_{k-1}) (1 - (1 + x_k(t)/lambda)^-b), x_k(t) the intrinsic time (M_time) or the
///          steps (M_steps) from k to t: the Multi-Power Law's loss drop with its level tied to it (NoiseSpectrum)
/// With the noise's size exponent (n_N, <see cref="NoiseSizeExponent"/>; 0 unless fitted) the noise term, whichever form, is
/// multiplied by z^n_N; with the memory's size exponent (n_M, <see cref="NoiseMemorySizeExponent"/>; 0 unless fitted) the
/// noise's memory (the noise minus its floor at the current LR) is multiplied by z^n_M, the floor not.
/// With the LR's own size scale (gamma_eta, <see cref="LrSizeExponent"/>; 0 unless fitted) every eta above except in the
/// noise's relaxation clocks is x = z^gamma_eta eta: tau = sum x/(1 + kappa x), K(x) = z^gamma_eta K, the noise z^gamma_eta times;
/// with the data scale too (delta_eta, <see cref="LrDataExponent"/>, an option) x = z^gamma_eta (D_t/1e10)^delta_eta eta; with the batch
/// scale (b_eta, <see cref="LrBatchExponent"/>; fitted only where runs vary the batch at a fixed N and D) x is also times (B/B_ref)^-b_eta.
/// M_clock(t) = -LD(t)/B = sum_k (eta_k - eta_{k-1}) (1 - (1 + C x_k(t))^-beta), x_k(t) = eta_k^-gamma S_k(t),
///          S_k(t) = sum_{k&lt;=j&lt;=t} eta_j: the Multi-Power Law's drop with its LR-dependent clock (Luo et al. 2025)
/// </code>
/// Sources: progress as a power law in intrinsic time is the Multi-Power Law's and OptLaw's (Luo et al. 2025);
/// its saturation g(eta) = eta/(1 + kappa eta) is the "saturating progress" mechanism of
/// shared/docs/schedule-laws.md (progress per step grows like eta below a curvature scale 1/kappa and stops
/// growing past it). K is the smoothness term sum eta^2 G^2 / (2 sum eta) of the convex last-iterate bound
/// (Defazio et al.; Schaipp et al. 2025, the law "convex"): the descent lemma's (L/2) rho^2 eta^2 cost per step,
/// averaged over the run with weights eta. It is a lasting cost: a cooldown lowers it only as much as it lowers
/// the eta-weighted mean LR. The noise N_m is the SDE picture's excess loss ~ eta/B relaxing towards its level
/// at rate 1/tau_m in intrinsic time (OptLaw, which see); a cooldown removes it, the cost K it does not.
/// <para>
/// Why there is an interior optimum in the peak LR: scale a schedule shape s_t in [0, 1] by its peak eta.
/// As eta grows, tau tends to the bounded sum over steps of 1/kappa (saturation), while K = eta sum s^2/sum s
/// and the noise grow linearly, so the loss eventually rises (C &gt; 0, or noise left at the end); as eta falls
/// to 0 the progress term tends to A s_w^-alpha, its largest value. Neither progress nor noise alone, the
/// structure of the existing laws, gives a rising branch after a full cooldown.
/// </para>
/// Linear parameters (E, B_N, A, C, w_m &gt;= 0 except E) are solved by non-negative least squares inside a
/// Nelder-Mead search over the nonlinear ones (<see cref="JointLawFitter"/>). Sizes: with one model size in the
/// data B_N, a_N, c_N are 0 (nothing to tell them); with two, beta is fixed (given, else Chinchilla's 0.34) and
/// B_N, a_N, c_N are fitted; with three or more beta is fitted too. The noise weights are shared across sizes.
/// </summary>
public sealed class JointLaw : ISelfFittingLaw, IExplainableLaw
{
    /// <summary>
    /// Indices into the parameter vector p (names in <see cref="ParameterNames"/>): E, the irreducible loss (nats/token);
    /// OffsetReducible, B_N in the offset B_N (z^(-beta) - 1); Beta, Chinchilla's size exponent beta; A and Alpha, the progress
    /// amplitude and exponent in A z^(-a_N) (tau + s_w)^(-alpha); Sw, s_w, the intrinsic-time offset (LR x steps); ProgressExponent,
    /// a_N; Kappa, the saturation's curvature scale kappa (1/LR) in eta/(1 + kappa eta); C and CostExponent, the cost's amplitude
    /// and size exponent in C z^(c_N) K(t); FirstNoise, the first of the <see cref="NoiseCount"/> free noise weights w_m.
    /// </summary>
    public const int E = 0, OffsetReducible = 1, Beta = 2, A = 3, Alpha = 4, Sw = 5, ProgressExponent = 6, Kappa = 7, C = 8, CostExponent = 9, FirstNoise = 10;

    /// <summary>N_ref, the model size (parameters) at which z = 1.</summary>
    public const double ReferenceSize = 1e8;

    /// <summary>B_ref, the batch (tokens per step) at which u = 1.</summary>
    public const double ReferenceBatch = 1e6;

    /// <summary>Lags of the noise features that relax in intrinsic time (LR x steps): 1e-4..10, one per decade.</summary>
    public static IReadOnlyList<double> TimeLags { get; } = OptLaw.Grid(1e-4, 10, 1);

    /// <summary>Lags of the noise features that relax in steps: 100..30,000 steps.</summary>
    public static IReadOnlyList<double> StepLags { get; } = [100, 300, 1000, 3000, 10000, 30000];

    /// <summary>Number of noise features: <see cref="TimeLags"/> then <see cref="StepLags"/>.</summary>
    public static int NoiseCount => TimeLags.Count + StepLags.Count;

    /// <summary>Index of W_time, the weight of the intrinsic-time noise spectrum; then lambda_time, W_steps, lambda_steps, b.</summary>
    public static int NoiseTimeWeight => FirstNoise + NoiseCount;

    /// <summary>Index of lambda_time, the scale of the intrinsic-time kernel (1 + x/lambda)^-b.</summary>
    public static int NoiseTimeScale => NoiseTimeWeight + 1;

    /// <summary>Index of W_steps, the weight of the step noise spectrum.</summary>
    public static int NoiseStepWeight => NoiseTimeWeight + 2;

    /// <summary>Index of lambda_steps, the scale (steps) of the step kernel.</summary>
    public static int NoiseStepScale => NoiseTimeWeight + 3;

    /// <summary>Index of b, the kernel's exponent (shared by both families).</summary>
    public static int NoiseShape => NoiseTimeWeight + 4;

    /// <summary>
    /// Index of V, the floor's part not tied to the drop (free sign): the noise floor at a constant LR is
    /// (W_time + W_steps + W_clock + V) eta, the drop a cooldown can remove W_time + W_steps + W_clock times the relaxed part.
    /// </summary>
    public static int NoiseLevel => NoiseTimeWeight + 5;

    /// <summary>
    /// Index of gamma_eta, the LR's own size exponent (issue 10, protocol 4's bias): the law sees the LR in units of a
    /// size-dependent scale, x_t = eta_t z^gamma_eta (eta_ref(N) proportional to N^-gamma_eta), in every term where the
    /// LR's magnitude enters: intrinsic time tau = sum x/(1 + kappa x), the cost K(x) = z^gamma_eta K(eta) and the
    /// noise's level (relaxing towards x, so z^gamma_eta times the noise). The noise's relaxation clocks (intrinsic-time
    /// lags, measured in eta x steps, and step lags) are not rescaled. So with the intrinsic-time noise weights at 0 the
    /// law at size z and peak eta is the law with gamma_eta = 0 at peak z^gamma_eta eta: its optimal peak moves as
    /// z^-gamma_eta relative to the gamma_eta = 0 law's (<see cref="LrScale(ReadOnlySpan{double}, double)"/>). 0 when not fitted (one size, one peak LR, a fixed LR axis, or LrSizeScale off) and in older fits: no own
    /// scale; the LR trade-off then depends on N only through the amplitudes z^-a_N, z^c_N. Fitted only with
    /// <see cref="JointFitOptions.LrSizeScale"/>, two or more sizes and an LR mechanism (<see cref="JointLawFitter"/>).
    /// </summary>
    public static int LrSizeExponent => NoiseTimeWeight + 6;

    /// <summary>
    /// Index of delta_eta, the LR's data scale (an option, <see cref="JointFitOptions.LrDataScale"/>; 0 by default): the LR
    /// units become x = eta z^gamma_eta d^delta_eta, d = D_t / <see cref="ReferenceTokens"/> with D_t the tokens trained up to
    /// the observed step (steps x batch; d = 1 when the batch is unknown). Taken at the observation, not at the run's end, so
    /// a curve's loss at step t depends only on the schedule up to t. Source: Step Law's optimum grows with D at fixed N
    /// (eta* ~ N^-0.713 D^0.307, Li et al. 2025), which progress against noise over the horizon does not give by itself.
    /// </summary>
    public static int LrDataExponent => NoiseTimeWeight + 7;

    /// <summary>Parameters added after the first fits were saved (the LR's size and data scales, the clock noise, the noise power, the noise size exponent, the lasting term): a document without them reads them as 0, the law it was fitted as (W_clock = 0: no clock term).</summary>
    public static IReadOnlySet<string> ZeroWhenAbsent { get; } = new HashSet<string>(StringComparer.Ordinal) { "gamma_eta", "delta_eta", "omega_cost", "W_clock", "C_clock", "beta_clock", "gamma_clock", "ln_p_noise", "n_N", "G_lasting", "kappa_lasting", "H_edge", "ln_eta_edge", "edge_N", "edge_batch", "edge_D", "k_edge", "n_M", "q_peak", "q_tangent", "clock_p", "b_eta" };

    /// <summary>D_ref of the LR's data scale: 1e10 tokens.</summary>
    public const double ReferenceTokens = 1e10;

    /// <summary>
    /// Index of W_clock, the weight of the noise relaxed on the Multi-Power Law's own clock (<see cref="JointNoise.Clock"/>):
    /// M_clock(t) = -LD(t)/B = sum_k (eta_k - eta_{k-1}) G(eta_k^-gamma S_k(t)), G(x) = 1 - (1 + C x)^-beta; then C, beta, gamma.
    /// </summary>
    public static int ClockWeight => NoiseTimeWeight + 8;

    /// <summary>Index of C_clock, the MPL's C (per unit of its clock x = eta_k^-gamma S_k(t)).</summary>
    public static int ClockScale => NoiseTimeWeight + 9;

    /// <summary>Index of beta_clock, the MPL's beta (the exponent of 1 - G).</summary>
    public static int ClockShape => NoiseTimeWeight + 10;

    /// <summary>Index of gamma_clock, the MPL's gamma: the clock's dependence on the LR after the decrement (0: intrinsic time, 1: steps).</summary>
    public static int ClockExponent => NoiseTimeWeight + 11;

    /// <summary>
    /// Index of ln p, the noise level's power of the LR (<see cref="JointFitOptions.NoisePowers"/>): the free-weight noise
    /// features relax eta_t^p instead of eta_t (and the LR's size scale enters them as s^p), so the floor at a constant LR is
    /// F eta^p and a full cooldown removes F eta_peak^p, 1/p times eta times the floor's slope across LRs. 0 (p = 1, the default
    /// and older fits): the law as before, bit for bit.
    /// </summary>
    public static int NoisePowerLog => NoiseTimeWeight + 12;

    /// <summary>
    /// Index of n_N, the noise's size exponent (issue 10, protocol 2; helper "size"): the whole noise term is multiplied by
    /// z^n_N, so the loss a cooldown removes (and the floor it removes it from) scales with the model size as a power law,
    /// as the Multi-Power Law's loss-drop amplitude B does in its per-size fits (Luo et al. 2025: B 363.79 at 25M,
    /// 437.95 at 100M, exponent +0.13 per unit ln N over those two sizes). Fitted only with <see cref="JointFitOptions.NoiseSizeScale"/>
    /// and two or more model sizes; 0 otherwise and in older fits (z^0 = 1: the law before, bit for bit).
    /// </summary>
    public static int NoiseSizeExponent => NoiseTimeWeight + 13;

    /// <summary>z^n_N, the noise's size factor (<see cref="NoiseSizeExponent"/>); exactly 1 when n_N is 0 or absent.</summary>
    public static double NoiseSizeFactor(ReadOnlySpan<double> p, double z) => p.Length <= NoiseSizeExponent || p[NoiseSizeExponent] == 0 ? 1 : Math.Pow(z, p[NoiseSizeExponent]);

    /// <summary>
    /// Index of G, the weight of the lasting part of the loss set by the peak LR (<see cref="JointFitOptions.LastingLr"/>; free
    /// sign; 0 by default and in older fits): G g(x_hat(t)), x_hat(t) = s max_{k&lt;=t} eta_k the highest LR so far in the law's
    /// LR units (s = <see cref="LrScale(ReadOnlySpan{double}, double, double)"/>) and g(x) = x / (1 + kappa_l x) (<see cref="LastingScale"/>:
    /// kappa_l = kappa, the saturating progress rate of intrinsic time, or its own scale). A cooldown does not change the peak, so this part stays after it: at a constant LR eta the
    /// loss's LR-linear part is F eta + G g(eta), a complete cooldown removes only F eta. Without it the drop a cooldown removes
    /// is pinned to the constant runs' spread across peak LRs (docs/VALIDATION.md, "The noise on the Multi-Power Law's clock").
    /// g is bounded by 1/kappa_l, so the term cannot remove the peak-LR optimum's rising branch (fitted only with saturation on).
    /// Measured as an option only (protocols 3, 4, 7, 8; not the default): docs/VALIDATION.md, "A lasting part of the loss set by the peak LR".
    /// </summary>
    public static int LastingWeight => NoiseTimeWeight + 14;

    /// <summary>
    /// Index of kappa_l, the lasting term's curvature scale (1/LR) in g(x) = x / (1 + kappa_l x): the saturation's kappa as fitted
    /// (<see cref="JointFitOptions.LastingLr"/>) or its own (<see cref="JointFitOptions.LastingOwnScale"/>); 0 (linear) when absent.
    /// </summary>
    public static int LastingScale => NoiseTimeWeight + 15;

    /// <summary>
    /// Index of H, the height of the stability-edge term (<see cref="JointFitOptions.StabilityEdge"/>, <see cref="JointStabilityEdge"/>; 0 by
    /// default and in older fits): H phi(eta_hat(t) / eta_edge), phi(r) = r^k / (1 + r^k), eta_hat(t) the raw peak LR so far, ln eta_edge =
    /// a + b ln(N/1e8) + c ln(batch/1e6) + e ln(D_t/1e10) (the divergence model's critical-LR form, D_t the tokens up to the observed step,
    /// a term 0 when its variable is unknown). Negligible well below the edge, rising steeply as the peak nears it: the cost of the peak
    /// that sets the long-cooldown optimum where the loss law alone keeps preferring a higher peak (docs/VALIDATION.md, "A stability-edge
    /// cost on the peak LR"). Then ln eta_edge's a, b, c, e and k at the next indices. H = 0: the law before, bit for bit.
    /// </summary>
    public static int EdgeHeight => NoiseTimeWeight + 16;

    /// <summary>Index of a, ln eta_edge at N = 1e8, batch 1e6 tokens, D = 1e10 tokens (<see cref="EdgeHeight"/>).</summary>
    public static int EdgeLn => NoiseTimeWeight + 17;

    /// <summary>Index of b, the edge's exponent in N.</summary>
    public static int EdgeSizeExponent => NoiseTimeWeight + 18;

    /// <summary>Index of c, the edge's exponent in the batch.</summary>
    public static int EdgeBatchExponent => NoiseTimeWeight + 19;

    /// <summary>Index of e, the edge's exponent in the tokens trained.</summary>
    public static int EdgeDataExponent => NoiseTimeWeight + 20;

    /// <summary>Index of k, the edge's steepness in phi(r) = r^k / (1 + r^k).</summary>
    public static int EdgeSlope => NoiseTimeWeight + 21;

    /// <summary>
    /// Index of n_M, the cooldown memory's size exponent (issue 10, protocol 2; helper "sizelaw"): the noise term (whichever form) is
    /// split into its floor at the current LR, Floor(t) = (sum_m w_m) eta_t^p + (W_time + W_steps + W_clock + V) eta_t (the noise it
    /// would have at a constant LR eta_t), and its memory, the rest (what a cooldown has not yet removed; negative in a warmup); the
    /// memory is multiplied by z^n_M, the floor is not. At a constant LR n_M has no effect; the loss a cooldown removes scales as
    /// z^n_M, as the Multi-Power Law's loss-drop amplitude B does across its per-size fits (Luo et al. 2025), while the constant-LR
    /// floor keeps its size dependence through n_N alone. Fitted only with <see cref="JointFitOptions.NoiseMemorySizeScale"/> and two
    /// or more sizes; 0 otherwise and in older fits (the law before, bit for bit).
    /// </summary>
    public static int NoiseMemorySizeExponent => NoiseTimeWeight + 22;

    /// <summary>
    /// Index of q, the free-lag noise's exponent in the peak LR (<see cref="JointFitOptions.PeakNoisePower"/>; helper p7fit): the free-weight
    /// noise term (whatever the power p it relaxes eta_t^p with) is multiplied by x_hat(t)^q, x_hat(t) = s max_{k&lt;=t} eta_k the highest
    /// LR so far in the law's LR units. So the floor at a constant LR eta is F eta^(p + q) (the noise level's power across peak LRs is
    /// p + q), while inside a run, where the peak is fixed, the level still relaxes towards eta_t^p (the within-run shape, p = 1 as the
    /// SDE picture's noise eta/B). The physical reading: the loss the gradient noise adds at the current LR is eta_t tr(H Sigma) / B, and
    /// the curvature H the iterate sits in is set by the peak it was trained at (at the edge of stability the sharpness settles near
    /// 2/eta_peak, Cohen et al. 2021), so the noise's level across peaks is sublinear (q &lt; 0) while its fall in a cooldown is linear.
    /// 0 (the default and older fits): the law before, bit for bit.
    /// </summary>
    public static int NoisePeakExponent => NoiseTimeWeight + 23;

    /// <summary>
    /// Index of q_t, the free-lag noise's exponent in the peak LR in the tangent form (<see cref="JointFitOptions.PeakNoiseTangent"/>; helper
    /// p78b): with r = 1 + q_t, the power of the noise floor across peak LRs, the free-weight noise is
    /// x_hat^q_t sum_m w_m [(1 - r) x_hat + r N_m(t)], N_m relaxing towards eta_t (p = 1), x_hat the highest LR so far. At a constant LR eta
    /// it is F eta^r (F = sum_m w_m, in LR units), the floor across peaks of <see cref="NoisePeakExponent"/>; inside a run it falls linearly
    /// in eta_t along the tangent of that floor at the peak, slope d(F x^r)/dx = r F x_hat^(r - 1): a cooldown from the peak to eta_end
    /// removes r F x_hat^(r - 1) (x_hat - eta_end) once relaxed, what the constant runs' spread across peaks says a small drop of the LR is
    /// worth (SDE picture, shared/docs/schedule-laws.md: the noise level is linear in the LR at the end, the cooldown gain is the noise
    /// removed, at the curvature the peak set). The intercept (1 - r) F x_hat^r is the part of the floor no cooldown removes (the basin the
    /// peak selected), so r &lt;= 1. 0 (the default and older fits): the law before, bit for bit; at most one of q and q_t is non-zero.
    /// </summary>
    public static int NoiseTangentExponent => NoiseTimeWeight + 24;

    /// <summary>
    /// Index of the effective-step clock's switch (<see cref="JointFitOptions.EffectiveStepClock"/>; helper p78c): 1 when the intrinsic-time
    /// lags relax on the clock of the effective step x_hat^(1 - p) eta_t^p instead of eta_t (x_hat the raw highest LR so far, p the noise power
    /// <see cref="NoisePowerLog"/>): N_m(t) = d_t N_m(t-1) + (1 - d_t) eta_t^p, d_t = exp(-x_hat^(1 - p) eta_t^p / tau_m); the step lags are
    /// unchanged. The OU picture of the noise (OptLaw's features): a direction of curvature h under a step s relaxes at rate h s towards an
    /// excess proportional to s, so the level and its clock are set by the same step; a level falling as eta_t^p inside a run is a step falling
    /// as eta_t^p, normalised to eta at the peak. At a constant LR (eta_t = x_hat) and at p = 1 it is the law before, bit for bit; 0 or absent: off.
    /// </summary>
    public static int NoiseClockPower => NoiseTimeWeight + 25;

    /// <summary>
    /// Index of omega, the cost's data exponent (<see cref="JointFitOptions.CostDataScale"/>; issue 10, helper costomega): the cost term
    /// C z^c_N K(t) becomes C z^c_N (D_t / D_ref)^omega K(t), D_t the tokens trained up to the observed step (steps x batch; steps x B_ref
    /// when the batch is unknown, the law's u = 1 convention), D_ref = <see cref="ReferenceTokens"/> (C is a free linear weight, so D_ref only
    /// rescales it). At a fixed schedule shape K is proportional to the peak and independent of the horizon while the progress gain of a
    /// higher peak shrinks as tau^-alpha, so the law's own peak optimum drifts down with the horizon faster than the runs' (docs/VALIDATION.md,
    /// "The joint law's own peak optimum at long horizons"); omega &lt; 0 lets a higher peak's lasting cost fall with the tokens too.
    /// Taken at the observation, so a curve's loss at step t depends only on the schedule up to t. 0 or absent: the law before, bit for bit.
    /// </summary>
    public static int CostDataExponent => NoiseTimeWeight + 26;

    /// <summary>
    /// Index of b_eta, the LR's batch scale (issue 10, helper batchscale; <see cref="JointFitOptions.LrBatchScale"/>, <see cref="JointFitOptions.LrBatchExponent"/>):
    /// the LR units become x = eta z^gamma_eta d^delta_eta (B / B_ref)^-b_eta, B the batch (tokens per step), B_ref = <see cref="ReferenceBatch"/>
    /// (the factor is 1 when the batch is unknown). It enters where gamma_eta does (intrinsic time, the cost K, the noise's level, the lasting
    /// term) and, as for gamma_eta, not the noise's relaxation clocks: the lags are a property of the loss surface's curvature measured in
    /// eta x steps (OptLaw's intrinsic time) and in steps, which the batch does not rescale (the SDE picture: the drift per step is eta times
    /// the gradient whatever the batch; the batch sets the noise's level, already u = B_ref / B). So with the intrinsic-time noise weights at
    /// 0 the law at batch B and peak eta is the law with b_eta = 0 at peak (B/B_ref)^-b_eta eta, and its optimal peak at a fixed N and D
    /// moves by exactly (B/B_ref)^b_eta: d ln eta*/d ln B gains b_eta. Why it is needed: with b_eta = 0 the law's own batch exponent at a fixed
    /// N and D is set by its progress exponent and the noise's 1/B (+0.72 on the Step Law grid, +1.05..+1.33 on Marin's fits; docs/VALIDATION.md
    /// "Which way the joint law moves the optimal peak LR with model size"), not by the runs. Fitted only where the runs vary the batch at a
    /// fixed N and D (<see cref="JointLawFitter.LrBatchIdentified"/>); otherwise a given prior (default 0). 0 or absent: the law before, bit for bit.
    /// </summary>
    public static int LrBatchExponent => NoiseTimeWeight + 27;

    /// <summary>(B / B_ref)^-b_eta, the LR units' batch factor (<see cref="LrBatchExponent"/>); exactly 1 when b_eta is 0 or absent or the batch is not a positive number.</summary>
    public static double LrBatchScale(ReadOnlySpan<double> p, double batchTokens) =>
        p.Length <= LrBatchExponent || p[LrBatchExponent] == 0 || !(batchTokens > 0 && double.IsFinite(batchTokens)) ? 1 : Math.Pow(batchTokens / ReferenceBatch, -p[LrBatchExponent]);

    /// <summary>
    /// (D_t / D_ref)^omega, the cost's data factor (<see cref="CostDataExponent"/>) at <paramref name="observedSteps"/> optimizer steps of
    /// <paramref name="batchTokens"/> tokens (NaN: unknown, counted as <see cref="ReferenceBatch"/>); exactly 1 when omega is 0 or absent.
    /// </summary>
    public static double CostDataFactor(ReadOnlySpan<double> p, double observedSteps, double batchTokens) =>
        p.Length <= CostDataExponent || p[CostDataExponent] == 0 ? 1 : Math.Pow(CostTokens(observedSteps, batchTokens) / ReferenceTokens, p[CostDataExponent]);

    /// <summary>D_t of <see cref="CostDataExponent"/>: steps x batch, the batch <see cref="ReferenceBatch"/> when unknown (NaN or not positive).</summary>
    public static double CostTokens(double observedSteps, double batchTokens) =>
        observedSteps * (batchTokens > 0 && double.IsFinite(batchTokens) ? batchTokens : ReferenceBatch);

    /// <summary>Whether the intrinsic-time lags relax on the effective step's clock (<see cref="NoiseClockPower"/> set).</summary>
    public static bool EffectiveClock(ReadOnlySpan<double> p) => p.Length > NoiseClockPower && p[NoiseClockPower] != 0;

    /// <summary>q_t of <see cref="NoiseTangentExponent"/> (0 when the vector predates it).</summary>
    public static double TangentExponent(ReadOnlySpan<double> p) => p.Length <= NoiseTangentExponent ? 0 : p[NoiseTangentExponent];

    /// <summary>
    /// x_hat^(q + q_t), the free-lag noise's peak factor (<see cref="NoisePeakExponent"/>, <see cref="NoiseTangentExponent"/>) at the peak so
    /// far <paramref name="peak"/> (LR units); exactly 1 when both are 0 or absent or the peak is not positive (no noise yet).
    /// </summary>
    public static double PeakNoiseFactor(ReadOnlySpan<double> p, double peak)
    {
        double q = (p.Length <= NoisePeakExponent ? 0 : p[NoisePeakExponent]) + TangentExponent(p);
        return q == 0 || !(peak > 0) ? 1 : Math.Pow(peak, q);
    }

    /// <summary>
    /// The free lags' noise before the peak factor: sum_m w_m N_m, or in the tangent form (<see cref="NoiseTangentExponent"/>, r = 1 + q_t)
    /// r sum_m w_m N_m + (1 - r) (sum_m w_m) x_hat, x_hat the raw highest LR so far. With <paramref name="floor"/> each N_m is
    /// replaced by its target eta_t^p (the floor at the current LR, <see cref="NoiseFloor"/>).
    /// </summary>
    private static double FreeLagNoise(ReadOnlySpan<double> p, JointFeatures f, int i, bool floor)
    {
        double qt = TangentExponent(p), sum = 0, weights = 0;
        if (floor || qt != 0)
            for (int m = 0; m < NoiseCount; m++) weights += p[FirstNoise + m];
        if (floor)
        {
            double eta = f.Eta[i], power = NoisePower(p);
            sum = weights * (power == 1 ? eta : Math.Pow(eta, power));
        }
        else
            for (int m = 0; m < NoiseCount; m++) sum += p[FirstNoise + m] * f.Noise[i, m];
        return qt == 0 ? sum : (1 + qt) * sum - qt * weights * f.Peak[i];
    }

    /// <summary>z^n_M, the memory's size factor (<see cref="NoiseMemorySizeExponent"/>); exactly 1 when n_M is 0 or absent.</summary>
    public static double MemorySizeFactor(ReadOnlySpan<double> p, double z) => p.Length <= NoiseMemorySizeExponent || p[NoiseMemorySizeExponent] == 0 ? 1 : Math.Pow(z, p[NoiseMemorySizeExponent]);

    /// <summary>
    /// The noise's floor per unit of LR feature at observation i: (sum_m w_m) eta_t^p + (W_time + W_steps + W_clock + V) eta_t, the
    /// value <see cref="NoiseSum"/> takes at a constant LR eta_t (every relaxed level equal to its target).
    /// </summary>
    internal static double NoiseFloor(ReadOnlySpan<double> p, JointFeatures f, int i)
    {
        double eta = f.Eta[i];
        return FreeLagNoise(p, f, i, true) + (p[NoiseTimeWeight] + p[NoiseStepWeight] + p[ClockWeight] + p[NoiseLevel]) * eta;
    }

    /// <summary>
    /// The noise before the batch, LR-unit and z^n_N factors, with the memory's size factor: NoiseSum + (z^n_M - 1) (NoiseSum - Floor),
    /// i.e. Floor + z^n_M Memory. Exactly NoiseSum when n_M is 0 or absent.
    /// </summary>
    internal static double MemorySizedNoise(ReadOnlySpan<double> p, JointFeatures f, int i, double z)
    {
        double sum = NoiseSum(p, f, i), memory = MemorySizeFactor(p, z);
        return memory == 1 ? sum : sum + (memory - 1) * (sum - NoiseFloor(p, f, i));
    }

    /// <summary>g(x) = x / (1 + kappa_l x): the lasting term's function of the peak LR x in LR units (<see cref="LastingWeight"/>).</summary>
    public static double LastingFeature(double x, double kappa) => x / (1 + kappa * x);

    /// <summary>p of <see cref="NoisePowerLog"/> (1 when the vector predates it).</summary>
    public static double NoisePower(ReadOnlySpan<double> p) => p.Length <= NoisePowerLog || p[NoisePowerLog] == 0 ? 1 : Math.Exp(p[NoisePowerLog]);

    /// <summary>
    /// dL/dp, the predicted loss's derivative in the noise power p (<see cref="NoisePowerLog"/>; p, not ln p) after <paramref name="step"/>
    /// updates of <paramref name="history"/>, for a model of N parameters and batch B (NaN: unknown). With X the noise before its factors
    /// (<see cref="MemorySizedNoise"/>: Floor + z^n_M (Sum - Floor)) the noise term is u z^n_N s^p X, so
    /// dL/dp = u z^n_N s^p (ln s X + dX/dp), dX/dp = dSum/dp + (z^n_M - 1)(dSum/dp - dFloor/dp), dSum/dp = sum_m w_m dN_m/dp
    /// (<see cref="JointFeatures.NoisePowerSlopes"/>) and dFloor/dp = (sum_m w_m) eta_t^p ln eta_t. Only the free lags depend on p. In the
    /// tangent form (<see cref="NoiseTangentExponent"/>, r = 1 + q_t) the free lags' noise is r sum_m w_m N_m + (1 - r)(sum_m w_m) x_hat and
    /// its floor r (sum_m w_m) eta_t^p + (1 - r)(sum_m w_m) x_hat (<see cref="FreeLagNoise"/>); x_hat does not depend on p, so dSum/dp and
    /// dFloor/dp are r times the above.
    /// </summary>
    public static double NoisePowerSlope(ReadOnlySpan<double> p, ScheduleHistory history, int step, double modelSize = double.NaN, double batchTokens = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (step < 1 || step > history.Steps) throw new ArgumentOutOfRangeException(nameof(step), step, "the step must lie in 1..the history's steps.");
        double z = SizeRatio(modelSize), u = BatchFactor(batchTokens), s = LrScale(p, z, (double)step * batchTokens) * LrBatchScale(p, batchTokens), power = NoisePower(p);
        var f = JointFeatures.Exact(history, [step], p[Kappa] * s, 1, p);
        var slopes = JointFeatures.NoisePowerSlopes(history, step, 1, power, EffectiveClock(p));
        double dSum = 0, free = 0;
        for (int m = 0; m < NoiseCount; m++)
        {
            dSum += p[FirstNoise + m] * slopes[m];
            free += p[FirstNoise + m];
        }
        double eta = f.Eta[0], dFloor = eta > 0 ? free * Math.Pow(eta, power) * Math.Log(eta) : 0;
        double r = 1 + TangentExponent(p);   // the tangent form's factor on both (1 when q_t is 0 or absent)
        dSum *= r;
        dFloor *= r;
        double dX = dSum + (MemorySizeFactor(p, z) - 1) * (dSum - dFloor);
        // At a fixed peak exponent q (NoisePeakExponent) the peak factor x_hat^q does not depend on p: it multiplies the slope.
        return u * NoiseSizeFactor(p, z) * NoiseScale(s, power) * PeakNoiseFactor(p, s * f.Peak[0]) * (Math.Log(s) * MemorySizedNoise(p, f, 0, z) + dX);
    }

    /// <summary>s^p, the LR size scale's factor on the noise (s itself when p = 1, so the law at p = 1 is unchanged bit for bit).</summary>
    internal static double NoiseScale(double s, double power) => power == 1 ? s : Math.Pow(s, power);

    private static readonly string[] NameList =
    [
        "E", "B_N", "beta", "A", "alpha", "s_w", "a_N", "kappa", "C", "c_N",
        .. TimeLags.Select(t => "noise[tau=" + t.ToString("G3", CultureInfo.InvariantCulture) + "]"),
        .. StepLags.Select(t => "noise[steps=" + t.ToString("G3", CultureInfo.InvariantCulture) + "]"),
        "W_time", "lambda_time", "W_steps", "lambda_steps", "b_noise", "V_level",
        "gamma_eta", "delta_eta",
        "W_clock", "C_clock", "beta_clock", "gamma_clock",
        "ln_p_noise",
        "n_N",
        "G_lasting", "kappa_lasting",
        "H_edge", "ln_eta_edge", "edge_N", "edge_batch", "edge_D", "k_edge",
        "n_M",
        "q_peak",
        "q_tangent",
        "clock_p",
        "omega_cost",
        "b_eta",
    ];

    private static readonly bool[] PositiveList = [false, true, true, true, true, true, false, true, true, false, .. Enumerable.Repeat(true, NoiseCount + 5), false, false, false, true, true, true, true, false, false, false, true, true, false, false, false, false, true, false, false, false, true, false, false];

    /// <summary>The law with the default <see cref="JointFitOptions"/>.</summary>
    public JointLaw() : this(new JointFitOptions())
    {
    }

    /// <param name="options">How <see cref="Fit(IReadOnlyList{FitTarget}, FitOptions)"/> fits it (mechanism, beta, cross-validated choice).</param>
    public JointLaw(JointFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>Settings used when the law is fitted through the common <see cref="LawFitter"/> interface.</summary>
    public JointFitOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "joint";

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => NameList;

    /// <summary>kappa, A, C, alpha, s_w, beta, B_N and the noise weights are &gt;= 0 (kappa and C are 0 when their mechanism is off).</summary>
    public IReadOnlyList<bool> Positive => PositiveList;

    /// <summary>z = N / N_ref, 1 when N is unknown (NaN).</summary>
    public static double SizeRatio(double modelSize) => double.IsNaN(modelSize) ? 1 : modelSize / ReferenceSize;

    /// <summary>
    /// s = z^gamma_eta, the factor that turns the LR into the law's LR units x = s eta (<see cref="LrSizeExponent"/>); 1 when
    /// gamma_eta is 0 or the size is unknown (z = 1).
    /// </summary>
    public static double LrScale(ReadOnlySpan<double> p, double z) => p.Length <= LrSizeExponent || p[LrSizeExponent] == 0 ? 1 : Math.Pow(z, p[LrSizeExponent]);

    /// <summary>s = z^gamma_eta d^delta_eta, d = <paramref name="tokens"/> / D_ref (<see cref="LrDataExponent"/>); the data factor is 1 when delta_eta is 0 or the tokens are not a positive number.</summary>
    public static double LrScale(ReadOnlySpan<double> p, double z, double tokens) =>
        LrScale(p, z) * (p.Length <= LrDataExponent || p[LrDataExponent] == 0 || !(tokens > 0 && double.IsFinite(tokens)) ? 1 : Math.Pow(tokens / ReferenceTokens, p[LrDataExponent]));

    /// <summary>Sets gamma_eta, delta_eta, b_eta and the cost's omega to 0: the LR units and cost of a fixed LR axis, which is already the one at the target's size, tokens and batch.</summary>
    internal static void ClearLrScale(double[] q) => q[LrSizeExponent] = q[LrDataExponent] = q[CostDataExponent] = q[LrBatchExponent] = 0;

    /// <summary>Whether the LR units depend on the observed step (delta_eta != 0 and the batch known).</summary>
    private static bool LrScalePerStep(ReadOnlySpan<double> p, double batchTokens) => p.Length > LrDataExponent && p[LrDataExponent] != 0 && batchTokens > 0 && double.IsFinite(batchTokens);

    /// <summary>u = B_ref / B, 1 when the batch is unknown (NaN).</summary>
    public static double BatchFactor(double batchTokens) => double.IsNaN(batchTokens) ? 1 : ReferenceBatch / batchTokens;

    /// <summary>A curve of unknown batch (the common <see cref="ILossLaw"/> interface): the model size only.</summary>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output) =>
        Predict(parameters, history, double.NaN, double.NaN, steps, output);

    /// <summary>A curve of unknown batch (u = 1) for a model of <paramref name="modelSize"/> parameters (NaN when unknown).</summary>
    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output) =>
        Predict(parameters, history, modelSize, double.NaN, steps, output);

    /// <summary>Predicted losses after each of <paramref name="steps"/> for a model of N parameters trained with B tokens per step (either NaN when unknown).</summary>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, double modelSize, double batchTokens, ReadOnlySpan<int> steps, Span<double> output) =>
        Predict(p, history, modelSize, batchTokens, steps, output, 1);

    /// <summary>
    /// The same for a coarse history whose entries stand for <paramref name="stride"/> optimizer steps each at
    /// their LR (<see cref="JointCurve.Stride"/>); <paramref name="steps"/> index entries.
    /// </summary>
    public void Predict(ReadOnlySpan<double> p, ScheduleHistory history, double modelSize, double batchTokens, ReadOnlySpan<int> steps, Span<double> output, int stride) =>
        Predict(p, history, modelSize, batchTokens, steps, output, stride, anchoredDecays: false);

    /// <summary>
    /// The same, with the intrinsic-time decays from an anchored exp when <paramref name="anchoredDecays"/> (<see
    /// cref="LagRelaxation.SetRate"/>; each within a few ulps of exp's): the planner's J(s) of its candidate schedules (issue 12).
    /// </summary>
    internal void Predict(ReadOnlySpan<double> p, ScheduleHistory history, double modelSize, double batchTokens, ReadOnlySpan<int> steps, Span<double> output, int stride, bool anchoredDecays)
    {
        LawArguments.Check(this, p, history, steps, output);
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "the stride must be >= 1.");
        double z = SizeRatio(modelSize), u = BatchFactor(batchTokens);
        // In LR units x = s eta: sum x/(1 + kappa x) = s sum eta/(1 + kappa s eta) (Combine multiplies tau, K and the noise by s).
        if (LrScalePerStep(p, batchTokens))
        {
            // s depends on the tokens at each observed step: the features once per step (O(steps x S); only with delta_eta).
            for (int i = 0; i < steps.Length; i++)
            {
                double si = LrScale(p, z, (double)steps[i] * stride * batchTokens) * LrBatchScale(p, batchTokens);
                output[i] = Combine(p, JointFeatures.Exact(history, steps.Slice(i, 1), p[Kappa] * si, stride, p, FreeNoise(p), anchoredDecays: anchoredDecays), 0, z, u, si, (double)steps[i] * stride * batchTokens, CostDataFactor(p, (double)steps[i] * stride, batchTokens));
            }
            return;
        }
        double s = LrScale(p, z) * LrBatchScale(p, batchTokens);
        var f = JointFeatures.Exact(history, steps, p[Kappa] * s, stride, p, FreeNoise(p), anchoredDecays: anchoredDecays);
        for (int i = 0; i < steps.Length; i++) output[i] = Combine(p, f, i, z, u, s, (double)steps[i] * stride * batchTokens, CostDataFactor(p, (double)steps[i] * stride, batchTokens));
    }

    /// <summary>The predicted loss after the last step of <paramref name="history"/>.</summary>
    public double PredictFinal(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize = double.NaN, double batchTokens = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(history);
        Span<double> y = stackalloc double[1];
        Predict(parameters, history, modelSize, batchTokens, [history.Steps], y);
        return y[0];
    }

    /// <summary>The predicted loss after <paramref name="step"/> updates of <paramref name="history"/> (N and B as in Predict).</summary>
    public double PredictFinalAt(ReadOnlySpan<double> parameters, ScheduleHistory history, int step, double modelSize, double batchTokens)
    {
        Span<double> y = stackalloc double[1];
        Predict(parameters, history, modelSize, batchTokens, [step], y);
        return y[0];
    }

    /// <summary>
    /// The peak LR that minimises the predicted final loss of a schedule shape: <paramref name="scheduleAtPeak"/>
    /// builds the per-step LRs for a given peak (e.g. <c>peak =&gt; LrSchedule.Parse(...).WithPeak(peak)</c>);
    /// searched on ln(peak) over [<paramref name="lowerPeak"/>, <paramref name="upperPeak"/>]: a 41-point scan,
    /// then Brent's method on the bracket around the best point. <see cref="PeakLrOptimum.Interior"/> is false
    /// when the minimum lies at either end (the law has no optimum inside the range).
    /// </summary>
    /// <exception cref="ArgumentException">The range is not 0 &lt; lower &lt; upper.</exception>
    public PeakLrOptimum OptimalPeak(ReadOnlySpan<double> parameters, Func<double, double[]> scheduleAtPeak, double lowerPeak, double upperPeak,
        double modelSize = double.NaN, double batchTokens = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(scheduleAtPeak);
        if (!(lowerPeak > 0 && upperPeak > lowerPeak && double.IsFinite(upperPeak)))
            throw new ArgumentException($"the peak LR range must satisfy 0 < lower < upper (got {lowerPeak}, {upperPeak}).");
        var p = parameters.ToArray();
        double Loss(double lnPeak) => PredictFinal(p, new ScheduleHistory(scheduleAtPeak(Math.Exp(lnPeak))), modelSize, batchTokens);
        const int scan = 41;
        double lo = Math.Log(lowerPeak), hi = Math.Log(upperPeak), h = (hi - lo) / (scan - 1);
        var values = new double[scan];
        for (int i = 0; i < scan; i++) values[i] = Loss(lo + i * h);
        int best = 0;
        for (int i = 1; i < scan; i++) if (values[i] < values[best]) best = i;
        if (best == 0 || best == scan - 1)
            return new PeakLrOptimum(Math.Exp(lo + best * h), values[best], false, lowerPeak, upperPeak);
        var m = BrentMinimizer.Minimize(Loss, lo + (best - 1) * h, lo + (best + 1) * h, 1e-8, 1e-10, 200);
        return m.Value <= values[best]
            ? new PeakLrOptimum(Math.Exp(m.X), m.Value, true, lowerPeak, upperPeak)
            : new PeakLrOptimum(Math.Exp(lo + best * h), values[best], true, lowerPeak, upperPeak);
    }

    /// <summary>The prediction at one step split into offset, progress, cost and noise (they sum to the prediction).</summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step) => Explain(p, history, step, double.NaN, double.NaN);

    /// <summary>The terms for a model of N parameters and batch B (NaN: unknown).</summary>
    public IReadOnlyList<LawTerm> Explain(ReadOnlySpan<double> p, ScheduleHistory history, int step, double modelSize, double batchTokens)
    {
        LawArguments.Check(this, p, history, [step], new double[1]);
        double z = SizeRatio(modelSize), u = BatchFactor(batchTokens), lrScale = LrScale(p, z, (double)step * batchTokens) * LrBatchScale(p, batchTokens);
        var f = JointFeatures.Exact(history, [step], p[Kappa] * lrScale, 1, p);
        double offset = p[E] + p[OffsetReducible] * (Math.Pow(z, -p[Beta]) - 1);
        double progress = Math.Pow(lrScale * f.Tau[0] + p[Sw], -p[Alpha]);
        double noise = u * NoiseSizeFactor(p, z) * NoiseScale(lrScale, NoisePower(p)) * PeakNoiseFactor(p, lrScale * f.Peak[0]) * MemorySizedNoise(p, f, 0, z), noiseFeature = 0;
        for (int m = 0; m < NoiseCount; m++)
            if (p[FirstNoise + m] > 0) noiseFeature = Math.Max(noiseFeature, f.Noise[0, m]);
        if (p[NoiseTimeWeight] > 0) noiseFeature = Math.Max(noiseFeature, f.SpectrumTime[0]);
        if (p[ClockWeight] > 0) noiseFeature = Math.Max(noiseFeature, f.Clock[0]);
        if (p[NoiseStepWeight] > 0) noiseFeature = Math.Max(noiseFeature, f.SpectrumSteps[0]);
        double lasting = Lasting(p, f, 0, lrScale);
        // The tangent form (NoiseTangentExponent): the free lags' noise as FreeLagNoise has it, and its peak factor.
        double qt = TangentExponent(p);
        string free = qt == 0 ? "sum_m w_m N_m" : "r sum_m w_m N_m + (1 - r)(sum_m w_m) x_hat";
        string tangent = qt == 0 ? "" : "; tangent form across peaks, x_hat the peak so far, r = 1 + q_t = " + (1 + qt).ToString("G4", CultureInfo.InvariantCulture);
        var terms = new List<LawTerm>
        {
            new LawTerm("offset", "E + B_N (z^-beta - 1), z = " + z.ToString("G4", CultureInfo.InvariantCulture), 1, offset),
            new LawTerm("progress", "A z^-a_N (tau + s_w)^-alpha, tau = sum x/(1 + kappa x), x = z^gamma_eta eta: " + (lrScale * f.Tau[0]).ToString("G4", CultureInfo.InvariantCulture), progress, p[A] * Math.Pow(z, -p[ProgressExponent]) * progress),
            new LawTerm("cost", "C z^c_N (D_t/D_ref)^omega K, K = sum x^2 / sum x", lrScale * f.K[0], p[C] * Math.Pow(z, p[CostExponent]) * CostDataFactor(p, step, batchTokens) * lrScale * f.K[0]),
            new LawTerm("noise", "u z^n_N" + (qt == 0 ? "" : " x_hat^q_t") + " (Floor + z^n_M Memory) of (" + free + " + W_time M_time + W_steps M_steps + W_clock M_clock + V eta) (LR relaxed over lags" + tangent + "), u = " + u.ToString("G4", CultureInfo.InvariantCulture), noiseFeature, noise),
        };
        double edge = Edge(p, f.Peak[0], z, u, (double)step * batchTokens);
        // The lasting and edge terms only when fitted (G, H != 0), so the terms of a law without them are as before.
        if (edge != 0)
            terms.Add(new LawTerm("edge", "H phi(eta_peak / eta_edge), phi(r) = r^k/(1 + r^k), eta_edge(N, batch, D) of the divergence model's form", edge / p[EdgeHeight], edge));
        if (lasting != 0)
            terms.Add(new LawTerm("lasting", "G g(x_peak), g(x) = x/(1 + kappa_l x), x_peak = z^gamma_eta max_k eta_k", LastingFeature(lrScale * f.Peak[0], p[LastingScale]), lasting));
        return terms;
    }

    /// <summary>Whether any of the twelve free noise weights is non-zero (else their features need not be computed).</summary>
    private static bool FreeNoise(ReadOnlySpan<double> p)
    {
        for (int m = 0; m < NoiseCount; m++) if (p[FirstNoise + m] != 0) return true;
        return false;
    }

    /// <summary>The prediction at observation i from features computed with kappa s (s = <see cref="LrScale(ReadOnlySpan{double}, double, double)"/>; tau, K and the noise are multiplied by s here).</summary>
    internal static double Combine(ReadOnlySpan<double> p, JointFeatures f, int i, double z, double u, double s, double tokens = double.NaN, double costFactor = 1)
    {
        double y = p[E] + p[OffsetReducible] * (Math.Pow(z, -p[Beta]) - 1)
            + p[A] * Math.Pow(z, -p[ProgressExponent]) * Math.Pow(s * f.Tau[i] + p[Sw], -p[Alpha])
            + p[C] * Math.Pow(z, p[CostExponent]) * costFactor * s * f.K[i];
        return y + Lasting(p, f, i, s) + u * NoiseSizeFactor(p, z) * NoiseScale(s, NoisePower(p)) * PeakNoiseFactor(p, s * f.Peak[i]) * MemorySizedNoise(p, f, i, z) + Edge(p, f.Peak[i], z, u, tokens);
    }

    /// <summary>
    /// H phi(peak / eta_edge) (<see cref="EdgeHeight"/>) for a model of size ratio z, batch factor u (N = z 1e8, batch = 1e6 / u: the
    /// references, so a centred term 0, when they are unknown) and <paramref name="tokens"/> trained (NaN: unknown); exactly 0 when H is 0 or absent.
    /// </summary>
    internal static double Edge(ReadOnlySpan<double> p, double peak, double z, double u, double tokens) =>
        p.Length <= EdgeSlope || p[EdgeHeight] == 0 ? 0
            : p[EdgeHeight] * JointStabilityEdge.Phi(peak, JointStabilityEdge.LnEdgeAt(p[EdgeLn], p[EdgeSizeExponent], p[EdgeBatchExponent], p[EdgeDataExponent], z * ReferenceSize, ReferenceBatch / u, tokens), p[EdgeSlope]);

    /// <summary>G g(s peak_t) at observation i (<see cref="LastingWeight"/>); exactly 0 when G is 0 or absent (the law before, bit for bit).</summary>
    private static double Lasting(ReadOnlySpan<double> p, JointFeatures f, int i, double s) =>
        p.Length <= LastingWeight || p[LastingWeight] == 0 ? 0 : p[LastingWeight] * LastingFeature(s * f.Peak[i], p[LastingScale]);

    /// <summary>The noise at observation i before the batch and LR-unit factors: sum_m w_m N_m + W_time M_time + W_steps M_steps + W_clock M_clock + V eta.</summary>
    private static double NoiseSum(ReadOnlySpan<double> p, JointFeatures f, int i)
    {
        double noise = FreeLagNoise(p, f, i, false);
        return noise + p[NoiseTimeWeight] * f.SpectrumTime[i] + p[NoiseStepWeight] * f.SpectrumSteps[i] + p[ClockWeight] * f.Clock[i] + p[NoiseLevel] * f.Eta[i];
    }

    /// <summary>One starting point: the law's own fit.</summary>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => [Fit(targets, new FitOptions()).Parameters];

    /// <summary>Fits on fit targets (model sizes from the targets, batch unknown) with <see cref="Options"/> and the Huber threshold of <paramref name="options"/>.</summary>
    public LawFit Fit(IReadOnlyList<FitTarget> targets, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        var curves = targets.Select(JointCurve.Of).ToList();
        var settings = Options with { HuberDelta = options.HuberDelta };
        return Options.SelectMechanism
            ? JointLawSelection.Select(curves, settings).Fit
            : JointLawFitter.Fit(curves, settings);
    }
}
