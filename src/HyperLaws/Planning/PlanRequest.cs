namespace HyperLaws.Planning;

/// <summary>What a plan is asked for: a model of <see cref="Parameters"/> trained on <see cref="Tokens"/> tokens with an optimizer.</summary>
public sealed record PlanRequest(double Parameters, double Tokens, TrainingOptimizer Optimizer)
{
    /// <summary>The sequence length when none is given and the runs state none (or disagree): 2048 tokens.</summary>
    public const int DefaultSequenceLength = 2048;

    /// <summary>Tokens per sequence: the batch is rounded to whole sequences (times <see cref="BatchMultiple"/>).</summary>
    public int SequenceLength { get; init; } = DefaultSequenceLength;

    /// <summary>
    /// True when <see cref="SequenceLength"/> was not given (the CLI's plan without <c>--seq-len</c>): <see cref="Planner.Make"/> then
    /// takes the sequence length every run states (<see cref="Runs.RunMetadata.SequenceLength"/>) when they all state the same one
    /// (<see cref="ReasonKind.SequenceLength"/>), and keeps <see cref="SequenceLength"/> with a warning when they disagree or some
    /// state none (<see cref="WarningKind.RunsSequenceLengthUnsettled"/>). False: <see cref="SequenceLength"/> as it is.
    /// </summary>
    public bool SequenceLengthFromRuns { get; init; }

    /// <summary>The batch in sequences is rounded to a multiple of this (data-parallel ranks x micro-batch).</summary>
    public int BatchMultiple { get; init; } = 1;

    /// <summary>A batch fixed by the user (tokens per step), instead of the rule's; the LR follows it (Theorem 1: eta ~ sqrt(b)).</summary>
    public double? BatchTokens { get; init; }

    /// <summary>A warmup fixed by the user (steps), instead of the law's optimum or the warmup guard's; it must be shorter than the plan's steps.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>How many runner-up plans to report besides the best.</summary>
    public int RunnerUps { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (!(Parameters >= 1e3 && Parameters <= 1e14)) throw new ArgumentException($"the model size must be between 1e3 and 1e14 parameters (got {Parameters:G4}).");
        if (!(Tokens >= 1e5 && Tokens <= 1e16)) throw new ArgumentException($"the token budget must be between 1e5 and 1e16 (got {Tokens:G4}).");
        if (SequenceLength < 1 || SequenceLength > 1 << 22) throw new ArgumentException($"the sequence length must be between 1 and {1 << 22} tokens (got {SequenceLength}).");
        if (BatchTokens is { } b && !(b >= SequenceLength && b <= 1e12)) throw new ArgumentException($"the batch must be between one sequence ({SequenceLength} tokens) and 1e12 tokens (got {b:G4}).");
        if (BatchMultiple < 1) throw new ArgumentException($"the batch multiple must be at least 1 (got {BatchMultiple}).");
        if (WarmupSteps is < 0) throw new ArgumentException($"the warmup must be 0 steps or more (got {WarmupSteps}).");
        if (RunnerUps < 0 || RunnerUps > 100) throw new ArgumentException($"the number of runner-ups must be between 0 and 100 (got {RunnerUps}).");
    }
}
