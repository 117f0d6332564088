using HyperLaws.Laws;

namespace HyperLaws.Evaluation;

/// <summary>
/// A law's held-out accuracy inside its own training curves (docs/VALIDATION.md, "Protocol 3 and 17r: the ensemble weighted by its
/// members' held-out tails"): every training curve's last quarter (by step span) is held out, the law is fitted again on the
/// rest by the caller's fitter, and each curve's error is the mean |relative error| of that fit over its held-out points. The
/// weight a member gets in <see cref="EnsembleRanking.WeightedScores"/> is the inverse square of its mean error
/// (inverse-variance weighting). Only training curves enter: the scored targets never do.
/// </summary>
public static class HeldOutTail
{
    /// <summary>The share of each curve's step span that is kept for the inner fit (the rest is held out).</summary>
    public const double Keep = 0.75;

    /// <summary>The smallest error a weight is computed from (a relative error of 1e-6; no fit is that close).</summary>
    public const double ErrorFloor = 1e-6;

    /// <summary>
    /// A curve split at s_1 + <paramref name="keep"/> (s_n - s_1), s_1..s_n its observed steps: the points at or before it (null
    /// when none) and the held-out points after it (null when none, e.g. a curve of one point).
    /// </summary>
    public static (FitTarget? Head, FitTarget? Tail) Split(FitTarget target, double keep = Keep)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!(keep > 0 && keep < 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "the kept share of a curve must lie in (0, 1).");
        if (target.Steps.Length == 0) return (null, null);
        double cut = target.Steps[0] + keep * (target.Steps[^1] - target.Steps[0]);
        int n = target.Steps.Count(s => s <= cut);
        FitTarget? Part(int from, int count) => count == 0 ? null
            : target with { Steps = target.Steps[from..(from + count)], Loss = target.Loss[from..(from + count)] };
        return (Part(0, n), Part(n, target.Steps.Length - n));
    }

    /// <summary>
    /// Each curve's held-out error: the law fitted by <paramref name="fit"/> on the curves' heads (curves without a head are not
    /// fitted on; their tails are still predicted from their schedules), then mean |predicted / observed - 1| over each curve's
    /// tail. NaN for a curve without a tail; +infinity for every curve when the fit fails (null, an exception of the fitter,
    /// non-finite parameters), and for a curve whose prediction is not a positive finite loss.
    /// </summary>
    /// <param name="targets">The training curves.</param>
    /// <param name="fit">The fitter of the outer fit (the same law and settings), on the heads; null when it fails.</param>
    /// <param name="keep">The kept share (<see cref="Keep"/>).</param>
    public static double[] Errors(IReadOnlyList<FitTarget> targets, Func<IReadOnlyList<FitTarget>, LawFit?> fit, double keep = Keep)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(fit);
        var parts = targets.Select(t => Split(t, keep)).ToList();
        var failed = parts.Select(p => p.Tail is null ? double.NaN : double.PositiveInfinity).ToArray();
        var heads = parts.Where(p => p.Head is not null).Select(p => p.Head!).ToList();
        if (heads.Count == 0 || parts.All(p => p.Tail is null)) return failed;
        LawFit? law;
        try
        {
            law = fit(heads);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return failed;
        }
        if (law is null || !law.HasFiniteParameters) return failed;
        var errors = new double[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            var tail = parts[i].Tail;
            if (tail is null)
            {
                errors[i] = double.NaN;
                continue;
            }
            var y = law.Predict(tail.History, tail.Steps, tail.ModelSize);
            double sum = 0;
            for (int k = 0; k < y.Length; k++)
                sum += double.IsFinite(y[k]) && y[k] > 0 ? Math.Abs(y[k] / tail.Loss[k] - 1) : double.PositiveInfinity;
            errors[i] = sum / y.Length;
        }
        return errors;
    }

    /// <summary>The mean of the curves' errors that are not NaN (NaN: no curve had a tail; +infinity if any is infinite).</summary>
    public static double Mean(IEnumerable<double> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var e = errors.Where(x => !double.IsNaN(x)).ToList();
        return e.Count == 0 ? double.NaN : e.Average();
    }

    /// <summary>
    /// The member's weight from its mean held-out error e: 1 / max(e, <see cref="ErrorFloor"/>)^2; 0 when e is NaN or infinite
    /// (the member's held-out check failed or had nothing to check).
    /// </summary>
    public static double Weight(double error) =>
        double.IsFinite(error) && error >= 0 ? 1 / (Math.Max(error, ErrorFloor) * Math.Max(error, ErrorFloor)) : 0;
}
