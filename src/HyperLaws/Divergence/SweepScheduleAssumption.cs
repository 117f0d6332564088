using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Divergence;

/// <summary>
/// The schedule assumed for a sweep table, whose rows give only peak LR and iterations: linear warmup
/// from 0 over <see cref="WarmupSteps"/> steps (min(warmup, ti) when a run is shorter), then cosine from
/// the peak to the minimum LR at the last step:
/// eta_t = peak t / W (t &lt;= W); eta_t = mlr + (peak - mlr)(1 + cos(pi (t - W)/(S - W)))/2 (t &gt; W).
/// Step Law (Li et al. 2025, arXiv 2503.04715) describes its runs as 2,000 warmup steps then cosine
/// decay to a minimum LR of 1e-5; the table's run names carry the minimum LR (<c>_mlr1.00e-05</c>) and it
/// is read from there, <see cref="MinLr"/> otherwise. The warmup length is not in the table: it is an
/// assumption and a parameter. A point that states its own warmup (<see cref="SweepPoint.WarmupSteps"/>) or final LR ratio
/// (<see cref="SweepPoint.MinLrRatio"/>), as Marin's sweep tables do, uses its own; one that states a decay fraction or a linear decay
/// (<see cref="SweepPoint.DecayFraction"/>, <see cref="SweepPoint.LinearDecay"/>: Marin's Muon tables) follows Levanter's
/// <c>OptimizerConfig.lr_scheduler</c> (one cycle, no cooldown): warmup W, the peak held for S - W - K steps, then the decay from the
/// peak to the minimum over the last K = floor(fraction x S) steps (K at most S - W), linear peak - (peak - mlr) q or cosine
/// mlr + (peak - mlr)(1 + cos(pi q))/2 with q = (t - (S - K)) / K.
/// </summary>
public sealed record SweepScheduleAssumption(int WarmupSteps = 2000, double MinLr = 1e-5)
{
    private static readonly Regex Mlr = new(@"mlr([0-9.]+(?:[eE][-+]?[0-9]+)?)", RegexOptions.CultureInvariant);

    /// <summary>The minimum LR of a run: its own ratio times its peak when it states one, else from <c>mlrX</c> in its name, else <see cref="MinLr"/>.</summary>
    public double MinLrOf(SweepPoint p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.MinLrRatio is { } ratio) return ratio * p.LearningRate;
        var m = Mlr.Match(p.Name);
        return m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 ? v : MinLr;
    }

    /// <summary>eta_t of a run under the assumption.</summary>
    public Func<long, double> LrOf(SweepPoint p)
    {
        double peak = p.LearningRate, mlr = Math.Min(MinLrOf(p), peak);
        long s = p.Iterations, w = Math.Min(p.WarmupSteps ?? WarmupSteps, s);
        if (p.DecayFraction is null && !p.LinearDecay)
            return t => t <= w ? peak * t / w : mlr + 0.5 * (peak - mlr) * (1 + Math.Cos(Math.PI * (t - w) / (s - w)));
        // Levanter's lr_scheduler: decay steps int(fraction x S) (the whole remainder when no fraction), the stable phase before them.
        long k = p.DecayFraction is { } f ? Math.Min((long)Math.Floor(f * s), s - w) : s - w, hold = s - k;
        var shape = p.LinearDecay ? CooldownShape.Linear : CooldownShape.Cosine;
        return t => t <= w ? peak * t / w : t <= hold ? peak : ScheduleMath.Cooldown(shape, peak, mlr, (t - hold) / (double)k);
    }
}
