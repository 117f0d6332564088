using HyperLaws.Schedules;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// The features of <see cref="JointLaw"/> at given steps of one history: tau (saturating intrinsic time), K
/// (eta-weighted mean LR), the noise features N_m and the highest LR so far, each in one pass over the steps.
/// </summary>
internal sealed class JointFeatures(double[] tau, double[] k, double[,] noise, double[] spectrumTime, double[] spectrumSteps, double[] eta, double[] clock, double[] peak)
{
    /// <summary>max_{k&lt;=t} eta_k at each observed step: the peak LR so far (the lasting term's argument, <see cref="JointLaw.LastingWeight"/>).</summary>
    public double[] Peak { get; } = peak;

    /// <summary>M_clock of <see cref="NoiseClock"/> at the law's parameters (zeros when W_clock is 0).</summary>
    public double[] Clock { get; } = clock;

    /// <summary>The LR at each observed step (the floor's feature of <see cref="JointLaw.NoiseLevel"/>).</summary>
    public double[] Eta { get; } = eta;

    /// <summary>M_time and M_steps of <see cref="NoiseSpectrum"/> at the law's parameters (zeros when both weights are 0).</summary>
    public double[] SpectrumTime { get; } = spectrumTime;

    public double[] SpectrumSteps { get; } = spectrumSteps;

    public double[] Tau { get; } = tau;

    public double[] K { get; } = k;

    public double[,] Noise { get; } = noise;

    /// <summary>
    /// Exact features: one pass over entries 1..last, O(S M). With <paramref name="stride"/> k &gt; 1 each entry of
    /// the history stands for k optimizer steps at its LR (a coarse history of a long run): tau and the decays
    /// are those of k steps (exact for an LR constant within each entry); K is a ratio and needs no change.
    /// </summary>
    /// <param name="history">The LRs.</param>
    /// <param name="steps">Observed steps (entries), ascending.</param>
    /// <param name="kappa">The saturation.</param>
    /// <param name="stride">Steps per entry.</param>
    /// <param name="parameters">The law's parameters, for the noise spectrum (<see cref="NoiseSpectrum"/>) and clock (<see cref="NoiseClock"/>); null or zero weights: not computed.</param>
    /// <param name="freeNoise">False: the twelve free-lag levels are left at 0 (not needed: their weights are 0, or the fit uses the spectrum).</param>
    /// <param name="noisePower">p, the free-lag levels relax eta^p (<see cref="JointLaw.NoisePowerLog"/>); taken from <paramref name="parameters"/> when they are given.</param>
    /// <param name="effectiveClock">The intrinsic-time lags relax on the effective step's clock x_hat^(1 - p) eta^p (<see cref="JointLaw.NoiseClockPower"/>); taken from <paramref name="parameters"/> when they are given; no effect at p = 1.</param>
    /// <remarks>
    /// With <paramref name="parameters"/> given, a free-lag level whose weight is 0 there is not computed (left at 0, as with
    /// <paramref name="freeNoise"/> false): the prediction adds w_m N_m = 0 x N_m = +0 for it either way, so the predictions are
    /// the same bit for bit, and a pass over a long schedule skips its exp and its update per step (the plan's joint fits keep 5 of
    /// the 12 levels, 2 of the 6 intrinsic-time decays: issue 12). The fitter, which needs every level, passes no parameters.
    /// </remarks>
    /// <param name="anchoredDecays">The intrinsic-time decays from an anchored exp (<see cref="LagRelaxation.SetRate"/>: within a few
    /// ulps, not bit for bit; the planner's J(s), issue 12). Off: exp at every change of the rate.</param>
    public static JointFeatures Exact(ScheduleHistory history, ReadOnlySpan<int> steps, double kappa, int stride = 1, ReadOnlySpan<double> parameters = default, bool freeNoise = true, double noisePower = 1, bool effectiveClock = false, bool anchoredDecays = false)
    {
        double power = parameters.Length > 0 ? JointLaw.NoisePower(parameters) : noisePower;
        // The effective step's clock (JointLaw.NoiseClockPower): x_hat^(1 - p) eta^p, eta itself at p = 1 (then off: the law before, bit for bit).
        bool effective = (parameters.Length > 0 ? JointLaw.EffectiveClock(parameters) : effectiveClock) && power != 1;
        var specT = new double[steps.Length];
        var specS = new double[steps.Length];
        if (parameters.Length > JointLaw.NoiseShape && (parameters[JointLaw.NoiseTimeWeight] != 0 || parameters[JointLaw.NoiseStepWeight] != 0))
            NoiseSpectrum.Mix(NoiseSpectrum.Features(history, steps, stride), parameters[JointLaw.NoiseTimeScale], parameters[JointLaw.NoiseStepScale], parameters[JointLaw.NoiseShape], specT, specS);
        var clock = new double[steps.Length];
        if (parameters.Length > JointLaw.ClockExponent && parameters[JointLaw.ClockWeight] != 0)
            NoiseClock.Level(history, steps, stride, parameters[JointLaw.ClockScale], parameters[JointLaw.ClockShape], parameters[JointLaw.ClockExponent], clock);
        var tau = new double[steps.Length];
        var k = new double[steps.Length];
        var noise = new double[steps.Length, JointLaw.NoiseCount];
        var etaAt = new double[steps.Length];
        var peakAt = new double[steps.Length];
        if (steps.Length == 0) return new JointFeatures(tau, k, noise, specT, specS, etaAt, clock, peakAt);
        // The levels to compute: every one, or those of non-zero weight when the parameters are given (see remarks); none without freeNoise.
        var active = new bool[JointLaw.NoiseCount];
        for (int a = 0; a < active.Length; a++) active[a] = freeNoise && (parameters.Length == 0 || parameters[JointLaw.FirstNoise + a] != 0);
        var relax = new LagRelaxation(stride, active, anchoredDecays);
        var on = relax.Lags;
        var level = new double[relax.Count];
        double t1 = 0, comp = 0, previous = double.NaN, target = 0, highest = 0;
        // S1 and Q summed here as the history sums them (ScheduleMath.CumulativeSum: Neumaier, the same operations in the same
        // order, so the same bits), read only at the observed steps: the history need not build its prefix arrays (issue 12).
        double s1Sum = 0, s1Comp = 0, qSum = 0, qComp = 0;
        int next = 0;
        for (int t = 1; t <= steps[^1]; t++)
        {
            double eta = history.Eta(t);
            if (eta > highest) highest = eta;
            if (eta != previous)
            {
                previous = eta;
                // The level relaxes towards eta^p (p = 1: eta itself, the law before, bit for bit); the clocks use eta, or with the
                // effective step's clock x_hat^(1 - p) eta^p (= eta at the peak so far; x_hat changes only when eta does).
                target = power == 1 ? eta : Math.Pow(eta, power);
                relax.SetRate(effective && eta < highest ? Math.Pow(highest, 1 - power) * target : eta);
            }
            // Neumaier-compensated sum of eta/(1 + kappa eta): long runs lose no precision.
            ScheduleMath.NeumaierAdd(ref t1, ref comp, stride * eta / (1 + kappa * eta));
            ScheduleMath.NeumaierAdd(ref s1Sum, ref s1Comp, eta);
            ScheduleMath.NeumaierAdd(ref qSum, ref qComp, eta * eta);
            relax.Relax(level, target);
            while (next < steps.Length && steps[next] == t)
            {
                tau[next] = t1 + comp;
                etaAt[next] = eta;
                peakAt[next] = highest;
                double s1 = s1Sum + s1Comp;
                k[next] = s1 > 0 ? (qSum + qComp) / s1 : 0;
                for (int i = 0; i < on.Length; i++) noise[next, on[i]] = level[i];
                next++;
            }
        }
        return new JointFeatures(tau, k, noise, specT, specS, etaAt, clock, peakAt);
    }

    /// <summary>
    /// The free-lag levels N_m(t; p) of <see cref="Exact"/> (effective step's clock off) at several noise powers p_j in one pass:
    /// N_m(t) = d_m(t) N_m(t-1) + (1 - d_m(t)) eta_t^p, whose decays d_m = exp(-k eta_t / lag_m) (intrinsic-time lags) and
    /// exp(-k / lag_m) (step lags, k the stride) do not depend on p, so each is computed once per LR change for all powers instead
    /// of once per power. Each level is updated by the same operations in the same order as <see cref="Exact"/> updates it, so every
    /// value equals <see cref="Exact"/>'s at that power bit for bit (unit test). The fitted noise power's Chebyshev nodes
    /// (<see cref="JointLawFitter"/>, issue 10's joint fit on every shipped and shared curve) need 16 powers of the same history.
    /// </summary>
    /// <param name="history">The LRs.</param>
    /// <param name="steps">Observed steps (entries), ascending.</param>
    /// <param name="stride">Steps per entry.</param>
    /// <param name="powers">The noise powers p_j.</param>
    /// <param name="lagMask">Which of the <see cref="JointLaw.NoiseCount"/> levels to compute; the others are left at 0.</param>
    /// <returns>Per power, the levels at each observed step: [step, lag].</returns>
    internal static double[][,] FreeLagLevels(ScheduleHistory history, ReadOnlySpan<int> steps, int stride, ReadOnlySpan<double> powers, ReadOnlySpan<bool> lagMask)
    {
        int m = JointLaw.NoiseCount, np = powers.Length;
        if (lagMask.Length != m) throw new ArgumentException($"The lag mask needs {m} entries.", nameof(lagMask));
        var noise = new double[np][,];
        for (int j = 0; j < np; j++) noise[j] = new double[steps.Length, m];
        if (steps.Length == 0) return noise;
        var relax = new LagRelaxation(stride, lagMask);
        var on = relax.Lags;
        int count = relax.Count;
        // Per power j and active lag i: level[j * count + i], relaxed with the same decays.
        var level = new double[np * count];
        var target = new double[np];
        double previous = double.NaN;
        int next = 0;
        for (int t = 1; t <= steps[^1]; t++)
        {
            double eta = history.Eta(t);
            if (eta != previous)
            {
                previous = eta;
                for (int j = 0; j < np; j++) target[j] = powers[j] == 1 ? eta : Math.Pow(eta, powers[j]);
                relax.SetRate(eta);
            }
            for (int j = 0; j < np; j++) relax.Relax(level.AsSpan(j * count, count), target[j]);
            while (next < steps.Length && steps[next] == t)
            {
                for (int j = 0, o = 0; j < np; j++)
                {
                    var at = noise[j];
                    for (int i = 0; i < count; i++, o++) at[next, on[i]] = level[o];
                }
                next++;
            }
        }
        return noise;
    }

    /// <summary>
    /// dN_m/dp at <paramref name="step"/> for each free lag m: the relaxation N_m(t) = d N_m(t-1) + (1 - d) eta_t^p is linear in its
    /// target and its decays d do not depend on p, so dN_m/dp relaxes d(eta^p)/dp = eta^p ln eta (0 where eta = 0) with the same
    /// decays. One O(step x lags) pass.
    /// </summary>
    internal static double[] NoisePowerSlopes(ScheduleHistory history, int step, int stride, double power, bool effectiveClock = false)
    {
        // With the effective step's clock (JointLaw.NoiseClockPower) the decays depend on p too: a central difference of the exact
        // levels (step 1e-5 p; the levels are smooth in p).
        if (effectiveClock && power != 1)
        {
            double h = 1e-5 * power;
            var up = Exact(history, [step], 0, stride, noisePower: power + h, effectiveClock: true);
            var down = Exact(history, [step], 0, stride, noisePower: power - h, effectiveClock: true);
            var slope = new double[JointLaw.NoiseCount];
            for (int a = 0; a < slope.Length; a++) slope[a] = (up.Noise[0, a] - down.Noise[0, a]) / (2 * h);
            return slope;
        }
        var relax = new LagRelaxation(stride, []);
        var level = new double[relax.Count];
        double previous = double.NaN, target = 0;
        for (int t = 1; t <= step; t++)
        {
            double eta = history.Eta(t);
            if (eta != previous)
            {
                relax.SetRate(eta);
                previous = eta;
                target = eta > 0 ? Math.Pow(eta, power) * Math.Log(eta) : 0;
            }
            relax.Relax(level, target);
        }
        return level;
    }
}
