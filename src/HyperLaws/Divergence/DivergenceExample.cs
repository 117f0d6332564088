namespace HyperLaws.Divergence;

/// <summary>
/// One labelled (or to-be-classified) run for the divergence predictor.
/// </summary>
/// <param name="Name">Run name, for reports.</param>
/// <param name="Group">The cell the run belongs to (held-out splits leave whole groups out).</param>
/// <param name="N">Model size (parameters).</param>
/// <param name="BatchTokens">Tokens per optimizer step.</param>
/// <param name="WarmupSteps">Steps until the LR first reaches its peak.</param>
/// <param name="Profile">The schedule's LR profile.</param>
/// <param name="Diverged">The label (true = diverged, the positive class).</param>
public sealed record DivergenceExample(string Name, string Group, double N, double BatchTokens, double WarmupSteps, LrProfile Profile, bool Diverged)
{
    /// <summary>Peak LR of the schedule.</summary>
    public double PeakLr => Profile.Peak;

    /// <summary>D, the tokens seen in all: steps x batch tokens (the boundary's tokens term).</summary>
    public double Tokens => Profile.Steps * BatchTokens;

    /// <summary>Builds an example from a per-step LR array; warmup = the first step at the peak LR.</summary>
    public static DivergenceExample FromSchedule(string name, string group, double n, double batchTokens, ReadOnlySpan<double> lr, bool diverged)
    {
        if (!(n > 0) || !double.IsFinite(n)) throw new ArgumentException($"{name}: model size N must be positive (got {n}).");
        if (!(batchTokens > 0) || !double.IsFinite(batchTokens)) throw new ArgumentException($"{name}: batch tokens must be positive (got {batchTokens}).");
        if (lr.Length == 0) throw new ArgumentException($"{name}: the schedule has no steps.");
        int argmax = 0;
        for (int i = 1; i < lr.Length; i++)
            if (lr[i] > lr[argmax]) argmax = i;
        if (!(lr[argmax] > 0)) throw new ArgumentException($"{name}: the schedule's peak LR must be positive.");
        return new DivergenceExample(name, group, n, batchTokens, argmax + 1, LrProfile.FromLearningRates(lr), diverged);
    }
}
