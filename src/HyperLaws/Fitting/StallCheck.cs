using HyperLaws.Laws;
using HyperLaws.Numerics;

namespace HyperLaws.Fitting;

/// <summary>
/// Has a fitted curve stopped improving where the fitted law still predicts a fall (docs/VALIDATION.md, "Curves that stop improving:
/// a stall check", declared before it was scored)? Every schedule law here lets the loss only fall with more training (at a constant
/// or decaying LR), so a run whose loss has levelled off or turned up (a small model's saturation, overfitting, a data-order effect)
/// is forecast to fall further. The check, per fitted curve, on its window: the fitted points at steps t with T/2 &lt; t &lt;= T
/// (T the curve's last fitted step: the second half of the fitted steps), n of them, at least <see cref="MinPoints"/>:
/// <list type="bullet">
/// <item>b_obs: the least-squares slope of the observed losses y_i on t_i; b_law: the same of the law's fitted values yhat_i (both
/// per step); the residuals r_i = y_i - yhat_i have slope b_r = b_obs - b_law, and se = s_r / sqrt(sum (t_i - tbar)^2), s_r^2 the
/// residuals' variance about their own line (n - 2 degrees of freedom): the noise the law's misfit and the loss's scatter leave on a
/// slope (the law's curvature is removed, the loss's is not). t* = t_{1 - alpha, n - 2}, one-sided, alpha = <see cref="Level"/>.</item>
/// <item>(A) the loss does not fall: b_obs + t* se &gt;= 0 (a fall is not shown at level alpha).</item>
/// <item>(B) the law falls faster than the data allow: b_law &lt; b_obs - t* se (the residuals rise, at level alpha).</item>
/// </list>
/// Stalled when (A) and (B). Then the forecast of that curve at any step after T is the recent level (<see cref="Forecast(CurveStall, int, double)"/>; <see cref="StallHold.Progress"/> holds the law's progress alone): the
/// observed trend line at T, ybar + b_obs (T - tbar), held flat (no law extrapolates a loss that rises; the hold says "no further
/// progress", which is what the window shows). Constants stated, not fitted to any source: alpha = 0.05 (the conventional level),
/// the window the fitted steps' second half (the cross-data protocols predict as far past T as T itself), 5 points (a slope and a
/// noise estimate with 3 degrees of freedom). The t-test treats the residuals about their line as independent; correlated residuals
/// (a misfit's structure, data order) make it reject more often than alpha.
/// </summary>
public static class StallCheck
{
    /// <summary>The one-sided level alpha of both tests (0.05).</summary>
    public const double Level = 0.05;

    /// <summary>
    /// What a stalled curve's forecast holds unless told (<see cref="StallHold"/>): set by the declared rule of docs/VALIDATION.md, "A stall
    /// hold of the progress alone". The level: the progress hold fixed protocol 17's false flag but raised protocol 16's headlines by
    /// 12-21% (the rule allows 5%).
    /// </summary>
    public const StallHold DefaultHold = StallHold.Level;

    /// <summary>The fewest fitted points in the window for the check to run (5: a slope and its noise with 3 degrees of freedom).</summary>
    public const int MinPoints = 5;

    /// <summary>The check of every curve <paramref name="fit"/> was fitted on (its predictions at the curves' own steps are the fitted values).</summary>
    /// <param name="fit">The fitted law.</param>
    /// <param name="targets">The curves it was fitted on.</param>
    public static IReadOnlyList<CurveStall> Of(LawFit fit, IReadOnlyList<FitTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(targets);
        var result = new List<CurveStall>(targets.Count);
        foreach (var t in targets)
        {
            double[] fitted;
            try
            {
                fitted = fit.HasFiniteParameters ? fit.Predict(t.History, t.Steps, t.ModelSize) : [.. t.Steps.Select(_ => double.NaN)];
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
            {
                fitted = [.. t.Steps.Select(_ => double.NaN)];
            }
            result.Add(Of(t.Name, t.Steps, t.Loss, fitted));
        }
        return result;
    }

    /// <summary>The check of one curve (see the type's remarks).</summary>
    /// <param name="curve">The curve's name.</param>
    /// <param name="steps">Its fitted steps, ascending.</param>
    /// <param name="loss">The observed losses at <paramref name="steps"/>.</param>
    /// <param name="fitted">The law's fitted values at <paramref name="steps"/>; a non-finite one in the window leaves the curve untested.</param>
    /// <exception cref="ArgumentException">The three arrays differ in length.</exception>
    public static CurveStall Of(string curve, IReadOnlyList<int> steps, IReadOnlyList<double> loss, IReadOnlyList<double> fitted)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(fitted);
        if (loss.Count != steps.Count || fitted.Count != steps.Count) throw new ArgumentException($"{curve}: steps, losses and fitted values differ in length.");
        if (steps.Count == 0) return Untested(curve, 0, 0, 0);
        int last = steps[^1];
        var window = Enumerable.Range(0, steps.Count).Where(i => 2L * steps[i] > last).ToList();
        int n = window.Count;
        if (n < MinPoints || window.Any(i => !double.IsFinite(fitted[i]) || !double.IsFinite(loss[i])))
            return Untested(curve, n, n > 0 ? steps[window[0]] : last, last);

        // Least squares on t (centred): slopes b = S_ty / S_tt of the observed losses and of the law's fitted values.
        double tbar = window.Average(i => (double)steps[i]), ybar = window.Average(i => loss[i]), fbar = window.Average(i => fitted[i]);
        double stt = 0, sty = 0, stf = 0;
        foreach (int i in window)
        {
            double dt = steps[i] - tbar;
            stt += dt * dt;
            sty += dt * (loss[i] - ybar);
            stf += dt * (fitted[i] - fbar);
        }
        double bObs = sty / stt, bLaw = stf / stt, bRes = bObs - bLaw, rbar = ybar - fbar;
        // The residuals' scatter about their own line (n - 2 degrees of freedom) and the standard error of their slope.
        double ss = 0;
        foreach (int i in window)
        {
            double e = loss[i] - fitted[i] - rbar - bRes * (steps[i] - tbar);
            ss += e * e;
        }
        double se = Math.Sqrt(ss / (n - 2) / stt);
        double critical = StudentT.TwoSidedQuantile(1 - 2 * Level, n - 2);   // the one-sided 1 - alpha quantile
        bool notFalling = bObs + critical * se >= 0;                          // (A)
        bool lawFaster = bLaw < bObs - critical * se;                          // (B)
        int from = steps[window[0]];
        double span = last - from;
        return new CurveStall(curve, true, notFalling && lawFaster, n, from, last, bObs * span, bLaw * span, se * span, critical, ybar + bObs * (last - tbar));
    }

    /// <summary>
    /// The forecast at <paramref name="step"/> given the law's own <paramref name="lawValue"/>: the recent level when the curve is stalled
    /// and the step is after its window (the law's value otherwise).
    /// </summary>
    public static double Forecast(CurveStall stall, int step, double lawValue)
    {
        ArgumentNullException.ThrowIfNull(stall);
        return stall.Stalled && step > stall.ToStep ? stall.Level : lawValue;
    }

    /// <summary>
    /// The forecasts at <paramref name="steps"/> of <paramref name="history"/> of a law whose fitted curve got <paramref name="stall"/>,
    /// given the law's own values there (<paramref name="lawValues"/>, <paramref name="law"/> with <paramref name="parameters"/> on
    /// <paramref name="history"/>): the law's own where the curve is not stalled or the step is in its window; after the window, with
    /// <see cref="StallHold.Level"/> the recent level (<see cref="Forecast(CurveStall, int, double)"/>), with <see cref="StallHold.Progress"/>
    /// the recent level plus the law's drop from the LR changes after T:
    /// <code>
    /// F(t) = Level + D(h, t) - D(c, t),   D(h, t) = L(h, t) - P(h, t)
    /// c: eta_c(k) = eta_fit(k) for k &lt;= T, eta_fit(T) for T &lt; k   (the fitted schedule continued at its last LR)
    /// </code>
    /// where L is the law's prediction, P its progress part (<see cref="IProgressLaw.Progress"/>: MPL's and tissue's L0 + A S1^-alpha,
    /// OptLaw's L0 + A (S1 + s_w)^-alpha, convex's c + P / (2 S1); the part that falls with intrinsic time) and D the rest (MPL's -LD,
    /// tissue's -C S2, OptLaw's noise features, convex's R v_T). The level hold is the forecast on c (at the window's LR the window
    /// shows no progress); the progress hold keeps that, progress frozen at T, and adds what the law says the schedule's later LR
    /// changes do to the non-progress part beyond what c's constant LR does. Where <paramref name="history"/> is c up to the step (the
    /// schedule constant after T) it is the level exactly; a later cooldown keeps the law's annealing drop. A law without the split
    /// (the joint law, tissue-p, a law across sizes: not <see cref="IProgressLaw"/>) holds the level.
    /// </summary>
    /// <param name="stall">The fitted curve's check.</param>
    /// <param name="hold">What a stalled curve's forecast holds.</param>
    /// <param name="law">The fitted law (a cached law is unwrapped).</param>
    /// <param name="parameters">Its fitted parameters.</param>
    /// <param name="history">The schedule predicted.</param>
    /// <param name="fitted">The fitted curve's schedule (its first T steps define c; the predicted schedule itself when it is the same run's or unknown).</param>
    /// <param name="steps">The steps predicted.</param>
    /// <param name="lawValues">The law's own predictions at <paramref name="steps"/>.</param>
    /// <param name="modelSize">The model size the law was evaluated for (NaN for a law of one size).</param>
    public static double[] Forecast(CurveStall stall, StallHold hold, ILossLaw law, double[] parameters, ScheduleHistory history, ScheduleHistory fitted,
        int[] steps, double[] lawValues, double modelSize = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(stall);
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(fitted);
        var result = (double[])lawValues.Clone();
        var after = Enumerable.Range(0, steps.Length).Where(i => stall.Stalled && steps[i] > stall.ToStep).ToArray();
        if (after.Length == 0) return result;
        var split = (law is IFittableLaw fittable ? Identification.Unwrap(fittable) : law) as IProgressLaw;
        if (hold == StallHold.Level || split is null || stall.ToStep > fitted.Steps)
        {
            foreach (int i in after) result[i] = stall.Level;
            return result;
        }
        // c: the fitted schedule's first T steps, then its LR at T, as long as the predicted schedule (the same arrays where the
        // schedule is constant after T, so D(h, t) - D(c, t) is 0 to the bit).
        var eta = new double[history.Steps];
        for (int k = 1; k <= eta.Length; k++) eta[k - 1] = fitted.Eta(Math.Min(k, stall.ToStep));
        var constant = new ScheduleHistory(eta);
        int[] at = [.. after.Select(i => steps[i])];
        var onConstant = new double[at.Length];
        law.Predict(parameters, constant, modelSize, at, onConstant);
        for (int j = 0; j < after.Length; j++)
        {
            int i = after[j], t = at[j];
            double drop = lawValues[i] - split.Progress(parameters, history, t), dropConstant = onConstant[j] - split.Progress(parameters, constant, t);
            result[i] = stall.Level + (drop - dropConstant);
        }
        return result;
    }

    private static CurveStall Untested(string curve, int points, int from, int to) =>
        new(curve, false, false, points, from, to, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}
