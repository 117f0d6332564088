using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>The reference run a plan scales from: which of the user's runs, its batch and momentum (the members say how each is chosen).</summary>
public static class RunReferences
{
    /// <summary>
    /// The reference of <paramref name="runs"/> for a target of <paramref name="targetParameters"/>: among the sizes the runs
    /// have, the nearest in log N; among its runs, the longest, and of those the lowest final loss. Its batch is the run's
    /// tokens per step, else <paramref name="tokensPerStep"/>, else the batch every other run at its size states when they all state the
    /// same one (<see cref="RunReference.TokensPerStepFrom"/>; when they state different ones, <see cref="RunReference.PeerBatches"/>), else assumed to be what <paramref name="anchor"/> calls optimal
    /// for the run's own budget: the fixed point B = B*(N, K B) (a contraction when B* grows slower than D, as every
    /// published rule does).
    /// </summary>
    public static RunReference Of(IReadOnlyList<TrainingRun> runs, double targetParameters, TrainingOptimizer optimizer, double? tokensPerStep, IOptimumRule anchor)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var usable = runs.Where(r => !r.Diverged && r.Steps > 0 && r.LearningRates.Max() > 0).ToList();
        if (usable.Count == 0) throw new ArgumentException("no run with a positive learning rate that did not diverge: nothing to plan from.");
        double n = NearestSize(usable.Select(r => r.Metadata.Parameters ?? double.NaN), targetParameters);
        var atSize = usable.Where(r => double.IsNaN(n) || SameSize(r.Metadata.Parameters ?? double.NaN, n)).ToList();
        int longest = atSize.Max(r => r.Steps);
        var best = atSize.Where(r => r.Steps == longest).MinBy(r => r.Final(LossSplit.Train)?.Loss ?? r.Final(LossSplit.Validation)?.Loss ?? double.PositiveInfinity)!;
        double peak = best.LearningRates.Max();

        double? given = Stated(best) ?? tokensPerStep;
        // The reference states no batch and none was given: the batch the other runs of its size state, when they all state the same one.
        var peers = given is null && !double.IsNaN(n)
            ? atSize.Where(r => r != best && Stated(r) is not null).Select(r => (Run: r.Name, Tokens: Stated(r)!.Value)).ToList()
            : [];
        bool agree = peers.Count > 0 && peers.All(p => p.Tokens == peers[0].Tokens);
        if (agree) given = peers[0].Tokens;
        bool assumed = given is null;
        double b = given ?? SelfConsistentBatch(anchor, double.IsNaN(n) ? targetParameters : n, longest);
        double momentum = Momentum(best) ?? optimizer.AnchorMomentum();
        return new RunReference(n, b, longest, peak, momentum, assumed, Momentum(best) is null, best.Name)
        {
            TokensPerStepFrom = agree ? [.. peers.Select(p => p.Run)] : [],
            PeerBatches = agree ? [] : peers,
        };
    }

    /// <summary>The batch in tokens per step <paramref name="run"/>'s file states (tokens per step, else sequences x sequence length); null when none.</summary>
    public static double? Stated(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Metadata.TokensPerStep ?? (run.Metadata.BatchSize * run.Metadata.SequenceLength);
    }

    /// <summary>
    /// The distinct batches (tokens per step, ascending) that <paramref name="runs"/> state (<see cref="Stated"/>; a run that states none
    /// is left out). Two or more: one schedule law fitted across the runs in their steps takes a step of each batch for the same
    /// progress (the laws count optimizer steps; <see cref="WarningKind.RunsAtSeveralBatches"/>).
    /// </summary>
    public static IReadOnlyList<double> StatedBatches(IEnumerable<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. runs.Select(Stated).OfType<double>().Distinct().Order()];
    }

    /// <summary>B = exp(ln B*(N, K B)), iterated from 1M tokens to a fixed point.</summary>
    public static double SelfConsistentBatch(IOptimumRule rule, double n, int steps)
    {
        double b = 1e6;
        for (int i = 0; i < 500; i++)
        {
            double next = Math.Exp(rule.Predict(n, steps * b).LnBatchTokens);
            if (Math.Abs(next / b - 1) < 1e-12) return next;
            b = next;
        }
        return b;
    }

    /// <summary>The run's momentum from its tags (beta1 or momentum), when in [0, 1).</summary>
    public static double? Momentum(TrainingRun run)
    {
        foreach (var key in new[] { "beta1", "momentum" })
            if (run.Metadata.Tags.TryGetValue(key, out var text)
                && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v >= 0 && v < 1)
                return v;
        return null;
    }

    /// <summary>The known size nearest <paramref name="target"/> in log; NaN when no run gives its size.</summary>
    public static double NearestSize(IEnumerable<double> sizes, double target)
    {
        var known = sizes.Where(s => s > 0 && double.IsFinite(s)).Distinct().ToList();
        return known.Count == 0 ? double.NaN : known.MinBy(s => Math.Abs(Math.Log(s / target)))!;
    }

    /// <summary>Two model sizes within 1% are the same size.</summary>
    public static bool SameSize(double a, double b) => a > 0 && b > 0 && Math.Abs(Math.Log(a / b)) < 0.01;

    /// <summary>
    /// True when sizes <paramref name="a"/> and <paramref name="b"/> differ by more than 10% (either way): the plan then warns that the
    /// runs are at another size than the target (<see cref="WarningKind.RunsAtOtherSize"/>). Within 10% a target written to two or
    /// three digits (33M for a logged 33,479,040) is the runs' size: a Chinchilla-style size term A N^-0.34 moves by at most
    /// 0.34 ln 1.1 = 3% of itself there, inside the plan's loss interval. Not tuned to any score.
    /// </summary>
    public static bool OtherSize(double a, double b) => a > 0 && b > 0 && Math.Abs(Math.Log(a / b)) > Math.Log(1.1);
}
